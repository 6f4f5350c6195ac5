package evidence

import (
	"strings"
	"testing"
)

// parseSMTPStatsPlain is the statistics reader as first written, with
// strings.IndexByte: the reference for the hand-looped one.
func parseSMTPStatsPlain(s string) (SMTPStats, bool) {
	var st SMTPStats
	seen := false
	for len(s) > 0 {
		end := strings.IndexByte(s, ' ')
		tok := s
		if end >= 0 {
			tok, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		eq := strings.IndexByte(tok, '=')
		if eq <= 0 {
			continue
		}
		v := tok[eq+1:]
		ok1, all := 0, 0
		if i := strings.IndexByte(v, '/'); i < 0 {
			ok1, all = atoi(v), atoi(v)
		} else {
			ok1, all = atoi(v[:i]), atoi(v[i+1:])
		}
		switch tok[:eq] {
		case "mail":
			st.Mail = all
		case "rcpt":
			st.RcptOK, st.RcptAll = ok1, all
		case "data", "bdat":
			st.Data += all
		case "rset":
			st.Rset = all
		case "quit":
			st.Quit = all
		case "commands":
			st.Commands, seen = all, true
		}
	}
	return st, seen
}

func FuzzSMTPStats(f *testing.F) {
	for _, s := range []string{
		"ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9",
		"ehlo=1 mail=1 rcpt=1 data=0/1 quit=1 commands=4/5",
		"ehlo=1 mail=1 rcpt=1 bdat=2 data=1 commands=6",
		"", "=", " =1  data= commands", "data=1/ rcpt=/3 commands=x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotOK := parseSMTPStatsValue(s)
		want, wantOK := parseSMTPStatsPlain(s)
		if got != want || gotOK != wantOK {
			t.Fatalf("%q: got %+v %v, want %+v %v", s, got, gotOK, want, wantOK)
		}
		f := newBoringFilter(newDomainSet(nil))
		if sent := f.dataSent(&Event{Kind: KindDisconnect, lazy: s}); sent != (wantOK && want.Data > 0) {
			t.Fatalf("%q: dataSent = %v, statistics %+v %v", s, sent, want, wantOK)
		}
	})
}
