package project

import (
	"os"
	"path/filepath"
)

// Names a project has unless its config file says otherwise.
const (
	// ConfigFile marks a project's root: ddlmig init writes it there, and
	// every command finds the project by walking up to it, so that ddlmig
	// works the same from any folder of the project.
	ConfigFile = "ddlmig.json"
	// DefaultSchema and DefaultDir are the schema file and the migrations
	// folder, relative to the root.
	DefaultSchema = "schema.sql"
	DefaultDir    = "migrations"
)

// Root is where a project was found.
type Root struct {
	Dir string // the project's root folder; "" when none was found
	// Config is the config file's path, "" when the root was found by its
	// migrations folder (a project from before config files).
	Config string
}

// FindRoot walks up from dir (absolute) to the nearest folder holding
// ConfigFile; failing that, to the nearest holding a DefaultDir folder. The
// config file wins over a nearer migrations folder, which may be another
// tool's (a Django app's). Neither walk leaves the git work tree it starts
// in (it stops at the folder holding .git): a project does not span
// repositories, and a stray ~/migrations must not capture every project
// under the home folder.
func FindRoot(dir string) Root {
	if d := walkUp(dir, func(d string) bool { return isFile(filepath.Join(d, ConfigFile)) }); d != "" {
		return Root{Dir: d, Config: filepath.Join(d, ConfigFile)}
	}
	return Root{Dir: walkUp(dir, func(d string) bool { return isDir(filepath.Join(d, DefaultDir)) })}
}

// walkUp returns the first folder from dir upwards for which found is
// true, stopping after the folder that holds .git or the file system's
// root; "" when there is none.
func walkUp(dir string, found func(string) bool) string {
	for d := filepath.Clean(dir); ; {
		if found(d) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d || exists(filepath.Join(d, ".git")) {
			return ""
		}
		d = parent
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
