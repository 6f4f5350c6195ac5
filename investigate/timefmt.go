package investigate

import (
	"fmt"
	"time"
)

// stamp is how every time reads in reports and summaries: always with its
// zone, as abuse desks and list operators ask ("times of incidents").
func stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05 MST")
}

// delta reads a duration the way a person says it: "41 s", "3 min 12 s",
// "2 h 5 min", "3 d 4 h". Negative durations get a minus sign.
func delta(d time.Duration) string {
	if d < 0 {
		return "-" + delta(-d)
	}
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return pair(s/60, "min", s%60, "s")
	case s < 86400:
		return pair(s/3600, "h", s%3600/60, "min")
	default:
		return pair(s/86400, "d", s%86400/3600, "h")
	}
}

func pair(a int64, ua string, b int64, ub string) string {
	if b == 0 {
		return fmt.Sprintf("%d %s", a, ua)
	}
	return fmt.Sprintf("%d %s %d %s", a, ua, b, ub)
}
