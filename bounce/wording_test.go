package bounce

import "testing"

// TestWordings: each pattern against the wording its source gives (IPs
// and names replaced by documentation ones), and look-alikes that must
// not match.
func TestWordings(t *testing.T) {
	cls := NewClassifier(nil, nil)
	cases := []struct {
		diag, remote       string
		list, ip, domain   string
		dnsList, delistURL string
	}{
		{"550 The sending IP (213.187.179.198) is listed on https://spamrl.com as a source of dictionary attacks.", "", "spamrl", "213.187.179.198", "", "", "https://spamrl.com/"},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.3", "", "spamhaus", "192.0.2.3", "", "spamhaus-zen", "https://check.spamhaus.org/"},
		{"550 5.7.1 rejected because 192.0.2.3 is in a black list at sbl.spamhaus.org", "", "spamhaus", "192.0.2.3", "", "spamhaus-sbl", "https://check.spamhaus.org/"},
		{"553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.3, because the ip is in Spamhaus's list; see http://postmaster.yahoo.com/errors/550-bl23.html", "mta5.am0.yahoodns.net [198.51.100.1]", "spamhaus", "192.0.2.3", "", "spamhaus-zen", "https://check.spamhaus.org/"},
		{"554 5.7.1 cmsmtp IP blocked. AUP#IPBL0001", "", "cox-ipbl-spamhaus", "", "", "spamhaus-zen", "https://check.spamhaus.org/"},
		{"554 5.7.1 cmsmtp IP blocked. AUP#IPBL1000", "", "cox", "", "", "", "https://www.cox.com/residential/support/email-error-codes.html"},
		{"554 cmsmtp blocked. Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXBL", "", "cox", "", "", "", "https://www.cox.com/residential/support/email-error-codes.html"},
		{"550 5.7.1 Unfortunately, messages from [192.0.2.3] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors.", "eur.olc.protection.outlook.com [198.51.100.2]", "outlook", "192.0.2.3", "", "", "https://olcsupport.office.com/"},
		{"550 5.7.606 Access denied, banned sending IP [192.0.2.3]. To request removal from this list please visit https://sender.office.com/ and follow the directions.", "", "microsoft", "192.0.2.3", "", "", "https://sender.office.com/"},
		{"421 4.7.0 [TSS04] Messages from 192.0.2.3 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "", "yahoo-reputation", "192.0.2.3", "", "", "https://senders.yahooinc.com/contact"},
		{"421-4.7.0 [192.0.2.3] Our system has detected that this message is suspicious due to the very low reputation of the sending domain. To best protect our users from spam, the message has been blocked.", "", "gmail-reputation", "192.0.2.3", "", "", "https://support.google.com/mail/contact/bulk_send_new"},
		{"421-4.7.28 [192.0.2.3 15] Our system has detected an unusual rate of unsolicited mail originating from your IP address.", "", "gmail-reputation", "192.0.2.3", "", "", "https://support.google.com/mail/contact/bulk_send_new"},
		{"554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.3", "", "proofpoint", "192.0.2.3", "", "", "https://ipcheck.proofpoint.com/"},
		{"550 5.7.1 Client host blocked for spamming issues. Ref http://csi.cloudmark.com/reset-request/?ip=192.0.2.3", "", "cloudmark", "192.0.2.3", "", "", "https://csi.cloudmark.com/en/reset/"},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using b.barracudacentral.org; http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.3", "", "barracuda", "192.0.2.3", "", "barracuda", "https://www.barracudacentral.org/rbl/removal-request"},
		{"550 Your IP 192.0.2.3 is listed at dnsbl-1.uceprotect.net", "", "uceprotect", "192.0.2.3", "", "uceprotect-1", "https://www.uceprotect.net/en/rblcheck.php"},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using bl.mailspike.net", "", "mailspike", "192.0.2.3", "", "mailspike", "https://mailspike.org/"},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using psbl.surriel.com", "", "psbl", "192.0.2.3", "", "psbl", "https://psbl.org/"},
		{"550 5.7.1 <x@y>: Recipient address rejected: example.org is listed in multi.surbl.org", "", "surbl", "", "", "surbl", "https://www.surbl.org/surbl-analysis"},
		{"554 5.7.1 Service unavailable; Sender address [x@spam.example.com] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/spam.example.com from [192.0.2.3]", "", "spamhaus", "", "spam.example.com", "spamhaus-dbl", "https://check.spamhaus.org/"},
		{"554 5.7.1 <x@spam.example.com>: Sender address rejected: blocked using dbl.spamhaus.org", "", "spamhaus", "", "spam.example.com", "spamhaus-dbl", "https://check.spamhaus.org/"},
		{"550 5.7.1 Rejected: 2001:db8::25 is listed at rbl.example.net", "mx.example.net [2001:db8::1]", "rbl.example.net", "2001:db8::25", "", "", ""},
		{"550 5.7.1 Service unavailable; client [192.0.2.3] blocked using dnsbl.sorbs.net", "", "sorbs", "192.0.2.3", "", "sorbs", ""},
	}
	for _, c := range cases {
		r := cls.Classify(Failure{Diagnostic: c.diag, RemoteMTA: c.remote})
		dnsList := ""
		if r.DNSList != nil {
			dnsList = r.DNSList.Name
		}
		if !r.Blocklisted || r.List != c.list || r.ListedIP != c.ip || r.ListedDomain != c.domain || dnsList != c.dnsList || r.DelistURL != c.delistURL {
			t.Errorf("%q:\n got list %q ip %q domain %q dns %q delist %q\nwant list %q ip %q domain %q dns %q delist %q",
				c.diag, r.List, r.ListedIP, r.ListedDomain, dnsList, r.DelistURL, c.list, c.ip, c.domain, c.dnsList, c.delistURL)
		}
	}
	for _, diag := range []string{
		"550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in local recipient table",
		"552 5.2.2 Mailbox full",
		"550 User some.name (kijitora@example.jp) not listed in Domino Directory",
		"550 User foo@example.com is not listed in example.com directory",
		"The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.",
		"550 5.7.1 Message content rejected, UBE, id=00000-22-225",
		"550 Ip frequency limited [Blocked IP 192.0.2.22]",
		"550 5.7.26 Unauthenticated email from example.jp is not accepted due to domain's DMARC policy",
		"554 5.7.1 Service unavailable; Client host [192.0.2.3] has no reverse DNS",
	} {
		if r := cls.Classify(Failure{Diagnostic: diag}); r.Blocklisted {
			t.Errorf("%q called a blocklisting: %+v", diag, r)
		}
	}
}
