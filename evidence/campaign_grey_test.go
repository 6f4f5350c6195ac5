package evidence

import (
	"path/filepath"
	"testing"
)

// One greylisted spam is one use of the forged sender, however many
// hourly dumps list its tuple and whether spamd's log shows it too; a
// retry (a later sighting of the same tuple) and another tuple are uses
// of their own.
func TestGreyTupleCountsOnce(t *testing.T) {
	dir := t.TempDir()
	spamd := `Nov 20 12:49:14 gw spamd[26915]: 198.51.100.201: connected (3/2)
Nov 20 12:49:25 gw spamd[26915]: (GREY) 198.51.100.201: <keerheior@victim.test> -> <alice@victim.test>
Nov 20 12:49:26 gw spamd[15291]: new entry 198.51.100.201 from <keerheior@victim.test> to <alice@victim.test>, helo pc201.spam.example
Nov 20 12:49:26 gw spamd[26915]: 198.51.100.201: disconnected after 12 seconds.
Nov 20 13:20:00 gw spamd[26915]: 198.51.100.201: connected (3/2)
Nov 20 13:20:11 gw spamd[26915]: (GREY) 198.51.100.201: <keerheior@victim.test> -> <alice@victim.test>
Nov 20 13:20:12 gw spamd[26915]: 198.51.100.201: disconnected after 12 seconds.
`
	// first = 12:49:26 UTC, a second after spamd's line.
	entry := "GREY|198.51.100.201|pc201.spam.example|<keerheior@victim.test>|<alice@victim.test>|1795178966|1795179266|1795193366|1|0\n"
	other := "GREY|198.51.100.202|pc202.spam.example|<keerheior@victim.test>|<bob@victim.test>|1795180000|1795180300|1795194400|1|0\n"
	in := []string{
		writeFile(t, dir, "spamdb-1300.dump", []byte(entry)),
		writeFile(t, dir, "spamdb-1400.dump", []byte(entry+other)),
		writeFile(t, dir, "spamd.log", []byte(spamd)),
		writeFile(t, dir, "spamdb-1500.dump", []byte(other+entry)),
	}
	for _, order := range [][]string{in, {in[2], in[0], in[1], in[3]}} {
		o := scanOpts(order...)
		r, err := Scan(t.Context(), o)
		if err != nil {
			t.Fatal(err)
		}
		fs := r.Campaign.ForgedSenders
		if len(fs) != 1 || fs[0].Count != 3 {
			t.Errorf("order %v: forged senders %+v, want keerheior@victim.test used 3 times (first attempt, its retry, the other tuple)", names(order), fs)
		}
	}
}

func names(paths []string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, filepath.Base(p))
	}
	return out
}
