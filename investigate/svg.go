package investigate

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Geometry of the timeline drawing, in SVG user units.
const (
	svgWidth   = 1000
	svgLabelW  = 190 // lane labels on the left
	svgRight   = 20
	svgTop     = 34 // room for the listing labels
	svgLaneH   = 26
	svgBottom  = 52 // axis labels and legend
	maxProbers = 12 // more probers than this share one lane
)

// laneOther gathers the probers beyond maxProbers.
const laneOther = "other probers"

// SVG draws the timeline as a self-contained inline SVG: no fonts, images
// or scripts from anywhere. Every text from strangers is sanitised and
// escaped.
func SVG(events []Event) template.HTML {
	if len(events) == 0 {
		return template.HTML(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-label="empty timeline" viewBox="0 0 1000 40"><text x="10" y="24">Nothing to draw: no listing, forged sender, probe or notice.</text></svg>`)
	}
	lanes, laneOf := laneLayout(events)
	sc := newScale(events)
	h := svgTop + len(lanes)*svgLaneH + svgBottom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-labelledby="tl-title" viewBox="0 0 %d %d" width="%d" height="%d" font-family="sans-serif" font-size="12">`, svgWidth, h, svgWidth, h)
	b.WriteString(`<title id="tl-title">Timeline: listing start, forged-sender first use, probes per prober, notices</title>`)
	drawLanes(&b, lanes)
	drawAxis(&b, sc, svgTop+len(lanes)*svgLaneH)
	drawT0(&b, sc, events, svgTop+len(lanes)*svgLaneH)
	for _, e := range events {
		drawEvent(&b, sc, e, laneOf(e), len(lanes))
	}
	drawLegend(&b, h-12, hasOwn(events))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built only from escaped parts
}

// laneLayout orders lanes: listings, forged senders, what this MX sent,
// probers by first probe, notices. It returns the labels and a function mapping an event to
// its lane index.
func laneLayout(events []Event) ([]string, func(Event) int) {
	var probers []string
	seen := map[string]bool{}
	hasKind := map[string]bool{}
	for _, e := range events {
		hasKind[e.Kind] = true
		if e.Kind == EventProbe && !seen[e.Lane] {
			seen[e.Lane] = true
			probers = append(probers, e.Lane) // events are in time order
		}
	}
	var lanes []string
	if hasKind[EventListing] {
		lanes = append(lanes, LaneListings)
	}
	if hasKind[EventForged] {
		lanes = append(lanes, LaneForged)
	}
	if hasKind[EventOwn] {
		lanes = append(lanes, LaneOwn)
	}
	shown := probers
	if len(probers) > maxProbers {
		shown = probers[:maxProbers-1]
	}
	lanes = append(lanes, shown...)
	other := -1
	if len(shown) < len(probers) {
		other = len(lanes)
		lanes = append(lanes, fmt.Sprintf("%s (%d)", laneOther, len(probers)-len(shown)))
	}
	if hasKind[EventNotice] {
		lanes = append(lanes, LaneNotices)
	}
	index := map[string]int{}
	for i, l := range lanes {
		index[l] = i
	}
	return lanes, func(e Event) int {
		if i, ok := index[e.Lane]; ok {
			return i
		}
		return other // only probers beyond maxProbers have no lane of their own
	}
}

// scale maps times onto the x axis.
type scale struct {
	t0, t1 time.Time
}

// newScale spans the events; notices, rendered long after the incident,
// would squeeze it into a corner, so they only widen the scale when no
// other event exists and are otherwise pinned to the right edge.
func newScale(events []Event) scale {
	t0, t1 := events[0].Time, events[0].Time
	for _, e := range events {
		if e.Kind == EventNotice && hasOther(events) {
			continue
		}
		if e.Time.Before(t0) {
			t0 = e.Time
		}
		if e.Time.After(t1) {
			t1 = e.Time
		}
	}
	pad := t1.Sub(t0) / 40
	if pad < time.Minute {
		pad = time.Minute
	}
	return scale{t0: t0.Add(-pad), t1: t1.Add(pad)}
}

func hasOther(events []Event) bool {
	for _, e := range events {
		if e.Kind != EventNotice {
			return true
		}
	}
	return false
}

// x maps t to the plot; times past the scale stay at its right edge.
func (s scale) x(t time.Time) float64 {
	if t.After(s.t1) {
		t = s.t1
	}
	span := float64(s.t1.Sub(s.t0))
	return svgLabelW + float64(svgWidth-svgLabelW-svgRight)*float64(t.Sub(s.t0))/span
}

func laneY(i int) int { return svgTop + i*svgLaneH + svgLaneH/2 }

func drawLanes(b *strings.Builder, lanes []string) {
	for i, l := range lanes {
		y := laneY(i)
		fill := "#f6f7f9"
		if i%2 == 1 {
			fill = "#ffffff"
		}
		fmt.Fprintf(b, `<rect x="0" y="%d" width="%d" height="%d" fill="%s"/>`, y-svgLaneH/2, svgWidth, svgLaneH, fill)
		fmt.Fprintf(b, `<text class="lane" x="6" y="%d">%s</text>`, y+4, esc(textsafe.ClipRunes(l, 28)))
	}
}

func drawAxis(b *strings.Builder, s scale, y int) {
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555"/>`, svgLabelW, y, svgWidth-svgRight, y)
	step := tickStep(s.t1.Sub(s.t0))
	for t := s.t0.UTC().Truncate(step).Add(step); t.Before(s.t1); t = t.Add(step) {
		x := s.x(t)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ccc"/>`, x, svgTop, x, y)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#333">%s</text>`, x, y+14, tickLabel(t, step))
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="#333">UTC</text>`, 6, y+14)
}

// drawT0 marks the first forged use of an own address, the T0 the
// hypothesis counts from, across every lane.
func drawT0(b *strings.Builder, s scale, events []Event, bottom int) {
	for _, e := range events { // in time order: the first forged event is T0
		if e.Kind != EventForged {
			continue
		}
		x := s.x(e.Time)
		fmt.Fprintf(b, `<g class="t0"><line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e67e22" stroke-width="1.5" stroke-dasharray="2 3"/>`, x, svgTop-4, x, bottom)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="#b35c00" text-anchor="middle">T0<title>%s: first forged use</title></text></g>`, x, svgTop-10, esc(stamp(e.Time)))
		return
	}
}

// tickStep picks a round step giving about six to twelve ticks.
func tickStep(span time.Duration) time.Duration {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 48 * time.Hour, 7 * 24 * time.Hour}
	for _, st := range steps {
		if span/st <= 10 {
			return st
		}
	}
	return 30 * 24 * time.Hour
}

func tickLabel(t time.Time, step time.Duration) string {
	if step >= 24*time.Hour || (t.Hour() == 0 && t.Minute() == 0) {
		return t.Format("Jan 2")
	}
	return t.Format("15:04")
}

func drawEvent(b *strings.Builder, s scale, e Event, lane, lanes int) {
	x, y := s.x(e.Time), laneY(lane)
	title := fmt.Sprintf("<title>%s: %s</title>", esc(stamp(e.Time)), esc(e.Detail))
	switch e.Kind {
	case EventListing:
		bottom := svgTop + lanes*svgLaneH
		fmt.Fprintf(b, `<g class="ev listing"><line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 3"/>`, x, svgTop-4, x, bottom)
		fmt.Fprintf(b, `<path d="M%.1f %d l7 7 l-7 7 l-7 -7 z" fill="#c0392b">%s</path>`, x, y-7, title)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" fill="#c0392b" text-anchor="middle">listing</text></g>`, x, svgTop-10)
	case EventForged:
		fmt.Fprintf(b, `<path class="ev forged" d="M%.1f %d l7 12 l-14 0 z" fill="#e67e22">%s</path>`, x, y-7, title)
	case EventOwn:
		fmt.Fprintf(b, `<path class="ev own" d="M%.1f %d l6 12 l-12 0 z" fill="#8e44ad" transform="rotate(180 %.1f %d)">%s</path>`, x, y-6, x, y, title)
	case EventNotice:
		fmt.Fprintf(b, `<rect class="ev notice" x="%.1f" y="%d" width="10" height="10" fill="#27ae60">%s</rect>`, x-5, y-5, title)
		if e.Time.After(s.t1) {
			// A white halo keeps the label readable where it crosses
			// the listing line, which often ends near the right edge too.
			fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="end" fill="#27ae60" stroke="#fff" stroke-width="4" paint-order="stroke">rendered %s »</text>`, x-9, y+4, esc(stamp(e.Time)))
		}
	default:
		fmt.Fprintf(b, `<circle class="ev probe" cx="%.1f" cy="%d" r="4" fill="#2c6fbb" fill-opacity="0.8">%s</circle>`, x, y, title)
	}
}

func hasOwn(events []Event) bool {
	for _, e := range events {
		if e.Kind == EventOwn {
			return true
		}
	}
	return false
}

func drawLegend(b *strings.Builder, y int, own bool) {
	items := []struct{ shape, label string }{
		{`<path d="M%d %d l6 6 l-6 6 l-6 -6 z" fill="#c0392b"/>`, "listing start"},
		{`<path d="M%d %d l6 11 l-12 0 z" fill="#e67e22"/>`, "forged sender, first use"},
		{`<circle cx="%d" cy="%d" r="4" fill="#2c6fbb"/>`, "callout probe"},
		{`<rect x="%d" y="%d" width="10" height="10" fill="#27ae60"/>`, "notice rendered"},
	}
	if own {
		items = append(items[:3:3], struct{ shape, label string }{`<path d="M%d %d m-6 0 l12 0 l-6 11 z" fill="#8e44ad"/>`, "sent by this MX"}, items[3])
	}
	x := svgLabelW
	for _, it := range items {
		dy := y - 6
		if strings.HasPrefix(it.shape, "<circle") {
			dy = y
		}
		fmt.Fprintf(b, it.shape, x, dy)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`, x+14, y+4, esc(it.label))
		x += 12 + 8*len(it.label) + 20
	}
}

func esc(s string) string { return template.HTMLEscapeString(textsafe.Line(s)) }
