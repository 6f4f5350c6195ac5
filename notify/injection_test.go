package notify

import (
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// hostile puts header-injection attempts everywhere a stranger's text can
// reach: the HELO and reverse names a prober chose, the WHOIS contacts of
// its network, and the log lines.
func hostile(t *testing.T) Input {
	in := testInput(t)
	p := &in.Report.Probers[0]
	p.HeloNames = []string{"mx.evil.example\r\nBcc: victim@example.com\r\nX-Injected: helo"}
	p.ReverseNames = []string{"rev.evil.example\nCc: victim2@example.com", "\x1b[2Jclear.example\x00"}
	p.Events[0].Helo = p.HeloNames[0]
	p.Events[0].Lines[0].Raw = "Aug 19 14:35:27 gw spamd[1]: x\r\n\r\nX-Injected: log\r\nBcc: victim3@example.com"
	p.Events[0].Recipients = []string{"a@example.org\r\nBcc: victim4@example.com"}
	in.Report.Campaign.ForgedSenders[0].Address = "keerheior@example.org\r\nX-Injected: campaign"
	in.Contacts["192.0.2.74"] = append([]whoisctx.Contact{
		{Address: "abuse@evil.example\r\nBcc: victim5@example.com", Role: "network", Confidence: 1},
		{Address: "abuse@evil.example, victim6@example.com", Role: "network", Confidence: 1},
		{Address: "victim7@example.com\x00abuse@evil.example", Role: "network", Confidence: 1},
		{Address: "\"Abuse\r\nBcc: victim8@example.com\" <abuse@evil.example>", Role: "network", Confidence: 1},
	}, in.Contacts["192.0.2.74"]...)
	in.Contacts["203.0.113.9"][0].Raw = "remarks: x\r\nBcc: victim9@example.com"
	return in
}

// allowedHeaders is every header a notice may have.
var allowedHeaders = []string{
	"Auto-Submitted", "Content-Transfer-Encoding", "Content-Type", "Date", "From",
	"Message-Id", "Mime-Version", "Reply-To", "Subject", "To", "User-Agent",
	"X-Dnsblaudit-Needs-Recipient", "X-Dnsblaudit-Needs-Review", "X-Dnsblaudit-Original-To",
}

func TestStrangersCannotAddHeadersOrRecipients(t *testing.T) {
	{
		opts := testOptions(t)
		opts.Policy.Recipients = RecipientsAll
		notices, err := Render(hostile(t), opts)
		if err != nil {
			t.Fatal(err)
		}
		var rcpts []string
		for i := range notices {
			eml, err := notices[i].Bytes()
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(eml))
			if err != nil {
				t.Fatal(err)
			}
			for h := range msg.Header {
				if !slices.Contains(allowedHeaders, h) {
					t.Errorf("notice %d: unexpected header %q", i, h)
				}
			}
			for _, h := range []string{"To", "Cc", "Bcc"} {
				if list, err := msg.Header.AddressList(h); err == nil {
					for _, a := range list {
						rcpts = append(rcpts, a.Address)
					}
				}
			}
			body := decodedBody(t, msg)
			if bytes.ContainsAny(body, "\r\x00\x1b") {
				t.Errorf("notice %d: control character in body", i)
			}
			m, _ := notices[i].Message()
			env, _ := m.GetRecipients()
			for _, a := range env {
				if strings.Contains(a, "victim") {
					t.Errorf("notice %d: envelope recipient %q", i, a)
				}
			}
		}
		sort.Strings(rcpts)
		want := []string{"Abuse@ISP.example", "abuse@example.net", "abuse@filter.example.net"}
		if !slices.Equal(rcpts, want) {
			t.Errorf("recipients %v, want %v", rcpts, want)
		}
	}
}

func decodedBody(t *testing.T, msg *mail.Message) []byte {
	t.Helper()
	var r io.Reader = msg.Body
	if msg.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// Configuration and flags are ours, but a line break there is still
// refused rather than written.
func TestOperatorValuesWithLineBreaksAreRefused(t *testing.T) {
	cases := map[string]func(*Options){
		"from":      func(o *Options) { o.From = "Postmaster <postmaster@example.org>\r\nBcc: x@example.com" },
		"from name": func(o *Options) { o.From = "\"Post\r\nBcc: x@example.com\" <postmaster@example.org>" },
		"reply-to":  func(o *Options) { o.ReplyTo = "a@example.org\nBcc: x@example.com" },
		"to":        func(o *Options) { o.To = "review@example.org\r\nBcc: x@example.com" },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			opts := testOptions(t)
			edit(&opts)
			_, err := Render(testInput(t), opts)
			if !errors.Is(err, ErrHeader) {
				t.Errorf("err = %v, want ErrHeader", err)
			}
		})
	}
}

func TestNoticeHeaderValuesAreChecked(t *testing.T) {
	notices, err := Render(testInput(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	n := notices[0]
	n.Subject = "hello\r\nBcc: x@example.com"
	if _, err := n.Bytes(); !errors.Is(err, ErrHeader) {
		t.Errorf("subject with CRLF: err = %v, want ErrHeader", err)
	}
	n = notices[0]
	n.MessageID = "x@example.org>\r\nBcc: <y"
	if _, err := n.Bytes(); !errors.Is(err, ErrHeader) {
		t.Errorf("Message-ID with CRLF: err = %v, want ErrHeader", err)
	}
	n = notices[0]
	n.To = []string{"a@example.net\r\nBcc: x@example.com"}
	if _, err := n.Bytes(); !errors.Is(err, ErrHeader) {
		t.Errorf("To with CRLF: err = %v, want ErrHeader", err)
	}
}

func TestProberIPMustBeAnIP(t *testing.T) {
	_, err := ParseEvidence("x.json", []byte(`{"probers":[{"ip":"192.0.2.1\r\nBcc: x@example.com"}]}`))
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "probers[0].ip") {
		t.Errorf("err = %v, want ErrInput naming probers[0].ip", err)
	}
}
