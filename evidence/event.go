package evidence

import (
	"fmt"
	"strings"
	"time"
)

// Format names a log format. FormatAuto sniffs each file; FormatSyslog reads
// a mixed syslog file (maillog) and picks the parser per line by program tag.
type Format string

// The formats this package reads.
const (
	FormatAuto      Format = ""
	FormatSyslog    Format = "syslog"
	FormatSpamd     Format = "spamd"     // OpenBSD spamd(8) via syslog
	FormatSpamdb    Format = "spamdb"    // spamdb(8) dump
	FormatPostfix   Format = "postfix"   // Postfix via syslog
	FormatExim      Format = "exim"      // Exim mainlog (or Exim via syslog)
	FormatSendmail  Format = "sendmail"  // Sendmail via syslog
	FormatOpenSMTPD Format = "opensmtpd" // OpenSMTPD via syslog
)

// Formats lists every name ParseFormat accepts, for help texts.
var Formats = []Format{FormatSyslog, FormatSpamd, FormatSpamdb, FormatPostfix, FormatExim, FormatSendmail, FormatOpenSMTPD}

// ErrUnknownFormat is returned by ParseFormat for a name it does not know.
var ErrUnknownFormat = fmt.Errorf("unknown log format")

// ParseFormat reads a format name; "" and "auto" mean FormatAuto.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "auto" {
		return FormatAuto, nil
	}
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return FormatAuto, fmt.Errorf("%q (want auto or one of %v): %w", s, Formats, ErrUnknownFormat)
}

// Kind says what an event records.
type Kind uint8

// Event kinds. Every parser maps its lines onto these.
const (
	KindNone       Kind = iota
	KindConnect         // a client connected
	KindDisconnect      // the session ended (Stats may say what it did)
	KindRcpt            // a RCPT TO was answered (Rejected tells how)
	KindMail            // a MAIL FROM was seen without a recipient (e.g. refused)
	KindData            // the client sent DATA / a message was taken in this session
	KindClient          // Postfix "QID: client=": a recipient was accepted, queue file opened
	KindMessage         // a message entered the queue: QueueID, Sender
	KindDelivery        // a message was delivered or bounced to Recipient
	KindRemoved         // the queue id is finished
	KindGrey            // a greylist tuple (spamd "new entry", spamdb GREY)
	KindWhite           // spamdb WHITE
	KindTrapped         // spamdb TRAPPED or spamd trapping
	KindSpamtrap        // spamdb SPAMTRAP address
	KindNoData          // the MTA says the transaction ended without DATA (Exim incomplete transaction)
	KindLost            // the session timed out or the connection was lost (Reply: after which command)
)

var kindNames = [...]string{"none", "connect", "disconnect", "rcpt", "mail", "data", "client", "message", "delivery", "removed", "grey", "white", "trapped", "spamtrap", "no-data", "lost"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// SMTPStats are Postfix 3.0+ disconnect command statistics
// ("ehlo=2 mail=1 rcpt=0/1 data=0/1 quit=1 commands=5/7"); -1 = not logged.
type SMTPStats struct {
	Mail     int
	RcptOK   int
	RcptAll  int
	Data     int // DATA commands issued
	Rset     int
	Quit     int
	Auth     int // successful AUTH commands ("auth=1"; "auth=0/1" failed)
	Commands int
}

// Event is one fact from one log line, with the line itself: it is evidence.
type Event struct {
	Time   time.Time
	Format Format
	// The one-byte fields sit together: apart, each took 8 bytes with its
	// padding, and every event is copied once or twice per line.
	Kind Kind
	// HasSender tells a null sender ("<>") from no sender on the line.
	HasSender bool
	Rejected  bool
	answer    rcptAnswer // what the reply says about the recipient (rules.go classifyAnswer), set by parseChunk
	// Authenticated: the message line says the client logged in (Postfix
	// "client=…, sasl_username=…", Exim "<= … A=authenticator:id"): our
	// own user, from wherever (explain.go's own mail).
	Authenticated bool

	Host      string // logging host (syslog) — part of session keys
	Session   string // join key within Format and Host: pid, session id, queue id
	Sub       string // second part of the key where one is needed (spamd: client IP)
	QueueID   string
	IP        string // client IP
	Name      string // client reverse name
	Helo      string
	Sender    string // envelope sender, "" = null sender when HasSender
	Recipient string
	Reply     string // SMTP reply or reason text
	Stats     *SMTPStats
	Count     int // nrcpts and the like; -1 = not logged
	Size      int // Sendmail size=; -1 = not logged
	File      string
	Line      int
	Raw       string

	stamp rawStamp
	// lazy is the text of a Postfix detail that Scan never uses, read
	// into its field only when something asks (fillLazy, smtpStats): the
	// disconnect statistics (most sessions are dropped whole on the
	// worker without them), the queue manager's nrcpt and a delivery's
	// status (ordinary messages are dropped on the worker). Reading them
	// for every line cost about 10 % of a scan.
	lazy string
}

// smtpStats returns the disconnect statistics, reading them from the line
// on first use. The result never points into the read buffer.
func (ev *Event) smtpStats() *SMTPStats {
	if ev.Stats == nil && ev.Kind == KindDisconnect && ev.lazy != "" {
		ev.Stats = parseSMTPStats(ev.lazy)
		ev.lazy = ""
	}
	return ev.Stats
}

// fillLazy reads the deferred Postfix details into their fields, for
// callers that see events one by one (LineParser).
func (ev *Event) fillLazy() {
	if ev.lazy == "" {
		return
	}
	switch ev.Kind {
	case KindDisconnect:
		ev.smtpStats()
	case KindMessage:
		if n, ok := field(ev.lazy, "nrcpt=", ' '); ok {
			ev.Count = atoi(n)
		}
	case KindDelivery:
		if st, ok := field(ev.lazy, "status=", ' '); ok {
			ev.Reply = st
		}
	}
	ev.lazy = ""
}

// emit appends the event ev to dst, the way every parser ends. parseChunk
// hands the parsers the free slot just past dst's end as ev, so that the
// event is built in place: then emit only extends dst over it, where an
// append would copy the whole Event (about 300 bytes, once for most
// lines of a log) onto itself.
func emit(dst []Event, ev *Event) []Event {
	if n := len(dst); n < cap(dst) && ev == &dst[:n+1][n] {
		return dst[:n+1]
	}
	return append(dst, *ev)
}

// lineStatus is how a parser judged a line.
type lineStatus uint8

const (
	lineEvent     lineStatus = iota // produced one or more events
	lineIgnored                     // well formed, nothing needed from it
	lineUnknown                     // a program or shape this package does not read
	lineMalformed                   // looks like a known format but is broken
	lineUnused                      // recognised, not used by any rule: counted by kind (ev.Reply names it)
)
