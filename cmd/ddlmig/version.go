package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// versionText is what ddlmig --version prints: the main module's version
// ("(devel)" for a build from a checkout, v1.2.3 or a pseudo-version for
// go install ...@version), the commit it was built from with "modified"
// when the work tree had changes, and the Go version. The build records
// all of it (go build stamps vcs.* from the git checkout), so no -ldflags
// are needed; what it lacks is printed as unknown.
func versionText() string {
	return formatVersion(debug.ReadBuildInfo())
}

func formatVersion(bi *debug.BuildInfo, ok bool) string {
	version, commit, modified := "unknown", "unknown", ""
	goVersion := runtime.Version()
	if ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = " (modified)"
				}
			}
		}
	}
	return fmt.Sprintf("ddlmig %s\ncommit %s%s\n%s %s/%s", version, commit, modified, goVersion, runtime.GOOS, runtime.GOARCH)
}
