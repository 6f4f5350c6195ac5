package investigate

import (
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// HTML funcs: html/template escapes for the context; clean also removes
// control characters, which escaping leaves in place.
var htmlFuncs = template.FuncMap{
	"stamp": stamp,
	"clean": textsafe.Line,
	"join":  func(s []string) string { return textsafe.Line(strings.Join(s, ", ")) },
	"pct":   func(f float64) int { return int(f*100 + 0.5) },
}

// htmlTemplate is parsed on first use, not at every command's start-up.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report.html.tmpl").Funcs(htmlFuncs).ParseFS(tmplFS, "tmpl/report.html.tmpl"))
})

// WriteHTML renders report.html: one self-contained file, with its styles
// inline, the timeline as inline SVG and a Content-Security-Policy that
// forbids loading anything, so opening it reaches no network.
func WriteHTML(w io.Writer, c *Case) error {
	v := newView(c)
	v.Timeline = SVG(c.Timeline)
	return htmlTemplate().Execute(w, v)
}
