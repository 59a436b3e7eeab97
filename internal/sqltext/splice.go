package sqltext

import (
	"sort"
	"unicode/utf8"
)

// Spliced is one text made of pieces of several files (a schema split over
// a folder, psql \i lines followed), with the way back from an offset in it
// to the file, line and column it came from: the text is parsed once, and
// every error and warning still names the file a person can open.
type Spliced struct {
	text   []byte
	pieces []piece
	files  map[string]*Lines
	order  []string
}

// piece is a run of the text copied from one file, or a separator that
// ddlmig added (fixed: every offset in it is off in file).
type piece struct {
	at    int // offset in the spliced text
	file  string
	off   int // offset in the file where the piece starts
	fixed bool
}

// NewSpliced returns an empty text.
func NewSpliced() *Spliced { return &Spliced{files: map[string]*Lines{}} }

// AddFile registers a file's text (as it is spliced: meta-commands blanked,
// so with the same offsets as on disk), so that its pieces can be added.
func (s *Spliced) AddFile(name, text string) {
	if s.files[name] == nil {
		s.order = append(s.order, name)
	}
	s.files[name] = NewLines(text)
}

// Copy appends the bytes [from, to) of a registered file.
func (s *Spliced) Copy(file string, from, to int) {
	if from >= to {
		return
	}
	s.pieces = append(s.pieces, piece{at: len(s.text), file: file, off: from})
	s.text = append(s.text, s.files[file].text[from:to]...)
}

// Separate appends text that is in no file (a statement separator between
// files); its offsets all stand for offset off of file.
func (s *Spliced) Separate(text, file string, off int) {
	s.pieces = append(s.pieces, piece{at: len(s.text), file: file, off: off, fixed: true})
	s.text = append(s.text, text...)
}

// Text is the spliced text.
func (s *Spliced) Text() string { return string(s.text) }

// Files lists the registered files in the order they were added.
func (s *Spliced) Files() []string { return s.order }

// FileText returns the registered text of a file.
func (s *Spliced) FileText(name string) (string, bool) {
	l := s.files[name]
	if l == nil {
		return "", false
	}
	return l.text, true
}

// Locate converts an offset of the spliced text into the file, line and
// column it came from. An offset past the end is the end of the last
// piece.
func (s *Spliced) Locate(off int) (file string, line, col int) {
	if len(s.pieces) == 0 {
		return "", 1, 1
	}
	i := sort.Search(len(s.pieces), func(i int) bool { return s.pieces[i].at > off }) - 1
	p := s.pieces[max(i, 0)]
	fo := p.off
	if !p.fixed {
		fo += max(off-p.at, 0)
	}
	l := s.files[p.file]
	if l == nil {
		return p.file, 1, 1
	}
	line, col = l.LineCol(fo)
	return p.file, line, col
}

// Offset converts a line and column of a file back into an offset of the
// spliced text; ok is false when that place was not spliced in.
func (s *Spliced) Offset(file string, line, col int) (int, bool) {
	l := s.files[file]
	if l == nil || line < 1 || line > len(l.starts) {
		return 0, false
	}
	fo := l.starts[line-1]
	for n := 1; n < col && fo < len(l.text) && l.text[fo] != '\n'; n++ {
		_, size := utf8.DecodeRuneInString(l.text[fo:])
		fo += size
	}
	for i, p := range s.pieces {
		end := len(s.text)
		if i+1 < len(s.pieces) {
			end = s.pieces[i+1].at
		}
		if !p.fixed && p.file == file && fo >= p.off && fo < p.off+end-p.at {
			return p.at + fo - p.off, true
		}
	}
	return 0, false
}
