package bounce

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// blocklisting is what a bounce of the sisimai set blames, decided by
// reading it.
type blocklisting struct {
	list, ip, domain, why string
}

// wantBlocklisted are the bounces of the sisimai set (623 messages) that
// blame a blocklist or the sender's reputation. Found by reading the
// candidates a search for spamhaus, spamcop, sorbs, barracuda, blocklist,
// blacklist, RBL, listed, 5.7.1, S3140, TSS04, AUP#, reputation, banned,
// cloudmark, proofpoint, uribl and "blocked" turned up; every other
// message of the set is not a blocklisting (wantNot gives the reason for
// the look-alikes).
var wantBlocklisted = map[string]blocklisting{
	"lhost-amazonses-15.eml":   {"mail.neko.example.com", "192.0.2.127", "", "Postfix reject_rbl_client: 'Client host rejected: blocked using mail.neko.example.com' for <e22-33.smtp-out.amazonses.com[192.0.2.127]>"},
	"lhost-exim-47.eml":        {"unnamed", "192.0.2.222", "", "'550-192.0.2.222 blocked by ldap:ou=nekochan... 550 Error - Blocked for abuse': the receiver's own block of the sending IP"},
	"lhost-exim-54.eml":        {"outlook", "203.0.113.2", "", "Outlook.com's 'messages from 203.0.113.2 weren't sent ... part of their network is on our block list' (code anonymised to NN-222)"},
	"lhost-exim-57.eml":        {"unnamed", "", "", "'you are sending to/from an address that has been blacklisted': the receiver's address blacklist"},
	"lhost-ezweb-08.eml":       {"outlook", "111.86.156.22", "", "Hotmail 'SC-004 ... too many unwanted messages have been sent from the following IP address'"},
	"lhost-gmail-04.eml":       {"cbl", "192.0.2.49", "", "'Client host [192.0.2.49] blocked using cbl.abuseat.org', relayed by Gmail"},
	"lhost-imailserver-06.eml": {"uribl", "", "example.com", "IMail 'Blacklisted URL in message. (example.com) in [black]. See http://lookup.uribl.com'"},
	"lhost-opensmtpd-13.eml":   {"yahoo-reputation", "192.0.2.25", "", "Yahoo '[TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints'"},
	"lhost-postfix-58.eml":     {"gmail-reputation", "192.0.2.22", "", "Gmail 'very low reputation of the sending IP address' for [192.0.2.22]"},
	"lhost-postfix-74.eml":     {"yahoo-reputation", "192.0.2.192", "", "Yahoo [TSS04] deferral of 192.0.2.192"},
	"lhost-qmail-19.eml":       {"yahoo-reputation", "192.0.2.25", "", "Yahoo [TSS04] deferral of 192.0.2.25, given up by qmail"},
	"lhost-sendmail-33.eml":    {"unnamed", "", "", "'550 5.7.1 IP address blacklisted by recipient' (the address is not quoted)"},
	"rhost-cox-01.eml":         {"cox", "", "", "Cox 'AUP#CDRBL': sending IP temporarily blocked for spam-like behaviour"},
	"rhost-franceptt-06.eml":   {"cloudmark", "10.0.0.1", "", "Orange 'Client host blocked for spamming issues ... csi.cloudmark.com/reset-request/?ip=10.0.0.1'"},
	"rhost-microsoft-01.eml":   {"microsoft", "198.51.100.222", "", "Exchange Online '5.7.606 Access denied, banned sending IP [198.51.100.222]'"},
	"rhost-microsoft-05.eml":   {"outlook-reputation", "192.0.2.25", "", "Outlook.com '4.7.650 ... temporarily rate limited due to IP reputation (S3113)'"},
	"rhost-yahooinc-02.eml":    {"yahoo-reputation", "192.0.2.192", "", "Yahoo [TSS04] deferral of 192.0.2.192"},
}

// wantNot are look-alikes in testdata: they name a list, a filter or the
// word "blocked"/"listed", and are not blocklistings.
var wantNot = map[string]string{
	"lhost-exim-31.eml":            "'they may be blacklisted, or missing the proper dns entries': a guess in a generic text, not a rejection",
	"lhost-domino-01.eml":          "'not listed in Domino Directory': user unknown",
	"lhost-notes-03.eml":           "'not listed in public Name & Address Book': user unknown",
	"lhost-messagingserver-01.eml": "X-Proofpoint-* headers of the returned message; the failure is user unknown",
	"rfc3464-65.eml":               "RCVD_IN_SORBS_SPAM in the returned message's SpamAssassin header",
	"lhost-x6-01.eml":              "X-Cloudmark-Analysis header of the returned message",
	"rhost-spectrum-01.eml":        "Spectrum 'sender rejected ... AUP#In-1310': the envelope sender refused; the code's meaning was not confirmed by Spectrum's page, so no listing is claimed",
	"rhost-tencent-01.eml":         "QQ 'Ip frequency limited ... Blocked IP': a rate limit, not a list",
	"lhost-dragonfly-06.eml":       "'Reverse DNS validation failed' (sisimai reason 'blocked'): no list; CRLF line endings",
	"lhost-dragonfly-01.eml":       "DMARC rejection; CRLF and bare-CR line endings",
	"lhost-postfix-05.eml":         "user unknown",
	"lhost-amazonworkmail-04.eml":  "mailbox full",
	"lhost-exim-39.eml":            "no reverse DNS",
	"arf-26.eml":                   "an abuse feedback report (RFC 5965), not a bounce; X-Proofpoint headers",
	"lhost-barracuda-01.eml":       "a Barracuda appliance's content rejection ('Message content rejected, UBE'), not the Barracuda list",
	"lhost-barracuda-02.eml":       "as barracuda-01; CRLF line endings",
}

func TestSisimaiTestdata(t *testing.T) {
	rep := readDir(t, "testdata/sisimai")
	got := blocklistedFiles(rep)
	for name, want := range wantBlocklisted {
		f, ok := got[name]
		if !ok {
			t.Errorf("%s: not found as a blocklisting (%s)", name, want.why)
			continue
		}
		if f.List != want.list || f.ListedIP != want.ip || f.ListedDomain != want.domain {
			t.Errorf("%s: list %q ip %q domain %q, want %q %q %q (%s)", name, f.List, f.ListedIP, f.ListedDomain, want.list, want.ip, want.domain, want.why)
		}
		if f.PatternSource == "" || f.Evidence == "" {
			t.Errorf("%s: no pattern source or evidence: %+v", name, f.Rejection)
		}
	}
	for name, why := range wantNot {
		if f, ok := got[name]; ok {
			t.Errorf("%s: called a blocklisting (%s: %q), but %s", name, f.List, f.Evidence, why)
		}
	}
	for name := range got {
		if _, ok := wantBlocklisted[name]; !ok {
			if _, ok := wantNot[name]; !ok {
				t.Errorf("%s: blocklisting not in the list", name)
			}
		}
	}
}

// TestSisimaiWholeSet runs over the whole set when the shared folder is
// beside the checkout (../shared): every message is read, and the
// blocklistings are exactly those listed above.
func TestSisimaiWholeSet(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "bounces", "sisimai-set-of-emails")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("the whole set is not beside the checkout: %v", err)
	}
	rep := readDir(t, dir)
	if rep.Messages != 623 {
		t.Errorf("%d messages, want 623", rep.Messages)
	}
	// Every message is read; these are read with a warning, their MIME
	// being broken in the set itself (each still read as text).
	wantProblems := map[string]string{
		"lhost-messagingserver-03.eml": "multipart/report whose body has no boundary line",
		"rfc3464-04.eml":               "multipart/report whose body has no boundary line",
		"rfc3464-06.eml":               "multipart/report whose body has no boundary line",
		"rhost-franceptt-07.eml":       "multipart/report whose body has no boundary line",
		"rhost-google-02.eml":          "multipart/report whose body has no boundary line",
		"lhost-office365-08.eml":       "a part header line that is neither a field nor folded",
	}
	for _, p := range rep.Problems {
		if _, ok := wantProblems[filepath.Base(p.File)]; !ok {
			t.Errorf("%s#%d: %s", p.File, p.Message, p.Error)
		}
	}
	if len(rep.Problems) != len(wantProblems) {
		t.Errorf("%d problems, want %d", len(rep.Problems), len(wantProblems))
	}
	got := blocklistedFiles(rep)
	var extra, missing []string
	for name, f := range got {
		if _, ok := wantBlocklisted[name]; !ok {
			extra = append(extra, name+" ("+f.List+": "+f.Evidence+")")
		}
	}
	for name := range wantBlocklisted {
		if _, ok := got[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(extra)
	sort.Strings(missing)
	if len(extra) > 0 || len(missing) > 0 {
		t.Errorf("blocklistings differ from the list:\n  not listed: %s\n  not found: %s", strings.Join(extra, "\n    "), strings.Join(missing, ", "))
	}
}

func readDir(t *testing.T, dir string) *Report {
	t.Helper()
	rep, err := ReadPaths(context.Background(), []string{dir}, NewClassifier(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		if p.Message == 0 {
			t.Errorf("%s could not be read: %s", p.File, p.Error)
		}
	}
	return rep
}

// blocklistedFiles maps each file's base name to its first blocklisting.
func blocklistedFiles(rep *Report) map[string]Failure {
	got := map[string]Failure{}
	for _, f := range rep.Blocklistings() {
		name := filepath.Base(f.File)
		if _, ok := got[name]; !ok {
			got[name] = f
		}
	}
	return got
}
