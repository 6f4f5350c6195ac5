package templates

import (
	"strings"
	"unicode/utf8"
)

// Width is the line length notices are wrapped to: short enough to quote
// twice within RFC 5322's recommended 78 characters.
const Width = 72

// Wrap folds every line of text longer than width at spaces. Lines that
// begin with a space or tab are excerpts (log lines, registry answers) and
// are kept whole, so that a reader can grep for them. A list item ("- ",
// "* ") continues under its text. Words longer than width are not broken.
func Wrap(text string, width int) string {
	if width < 1 {
		return text
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.Grow(len(text) + len(text)/width)
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(wrapLine(line, width))
	}
	return b.String()
}

func wrapLine(line string, width int) string {
	if utf8.RuneCountInString(line) <= width || isExcerpt(line) {
		return line
	}
	hang := hangingIndent(line)
	words := strings.Fields(line)
	var b strings.Builder
	col := 0
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		switch {
		case col == 0:
		case col+1+n > width:
			b.WriteByte('\n')
			b.WriteString(hang)
			col = len(hang)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

func isExcerpt(line string) bool {
	return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")
}

// hangingIndent is the indent of a list item's continuation lines.
func hangingIndent(line string) string {
	for _, bullet := range []string{"- ", "* "} {
		if strings.HasPrefix(line, bullet) {
			return strings.Repeat(" ", len(bullet))
		}
	}
	return ""
}
