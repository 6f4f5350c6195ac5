package investigate

import (
	"embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/template"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

//go:embed tmpl/report.md.tmpl tmpl/report.html.tmpl
var tmplFS embed.FS

// Markdown funcs make text from strangers inert: control characters go
// (textsafe), and Markdown syntax is escaped so a HELO name cannot become
// a link or break a table.
var mdFuncs = template.FuncMap{
	"stamp": stamp,
	"cell":  mdCell,
	"join":  func(s []string) string { return mdCell(strings.Join(s, ", ")) },
	"fence": fence,
	"raw":   rawLines,
	"pct":   func(f float64) int { return int(f*100 + 0.5) },
}

// mdTemplate is parsed on first use, not at every command's start-up.
var mdTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report.md.tmpl").Funcs(mdFuncs).ParseFS(tmplFS, "tmpl/report.md.tmpl"))
})

// WriteMarkdown renders report.md.
func WriteMarkdown(w io.Writer, c *Case) error {
	return mdTemplate().Execute(w, newView(c))
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "#", `\#`, "!", `\!`,
)

// mdCell is one line of escaped Markdown, safe in a table cell.
func mdCell(s string) string {
	return mdEscaper.Replace(textsafe.Line(s))
}

// fence wraps raw lines in a code fence longer than any run of backticks
// inside them (CommonMark 4.5), so a log line cannot end the block.
func fence(lines []string) string {
	longest := 0
	for _, l := range lines {
		run := 0
		for _, r := range l {
			if r == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	var b strings.Builder
	b.WriteString(f + "text\n")
	for _, l := range lines {
		b.WriteString(textsafe.Line(l) + "\n")
	}
	b.WriteString(f)
	return b.String()
}

// rawLines quotes evidence lines with where they were read.
func rawLines(ls []evidence.Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = fmt.Sprintf("%s:%d: %s", l.File, l.Line, l.Raw)
	}
	return out
}
