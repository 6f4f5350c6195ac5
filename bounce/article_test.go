package bounce

import (
	"context"
	"testing"
	"time"
)

// TestArticleBounce: the bounce that started the article names spamrl,
// the listed IP and the reason, and spamrl is no DNS list.
func TestArticleBounce(t *testing.T) {
	rep, err := ReadPaths(context.Background(), []string{"testdata/article/spamrl-exim.eml"}, NewClassifier(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || len(rep.Problems) != 0 {
		t.Fatalf("failures %+v problems %+v, want one failure", rep.Failures, rep.Problems)
	}
	f := rep.Failures[0]
	want := Failure{
		Recipient: "DOMAINS@ANTISPAMCLOUD.COM", ReplyCode: "550",
		RemoteMTA:  "filter10.antispamcloud.com [31.204.155.103]",
		Diagnostic: "550 The sending IP (213.187.179.198) is listed on https://spamrl.com as a source of dictionary attacks.",
		Source:     "text",
	}
	if f.Recipient != want.Recipient || f.RemoteMTA != want.RemoteMTA || f.Diagnostic != want.Diagnostic || f.ReplyCode != want.ReplyCode || f.Source != want.Source {
		t.Errorf("failure %+v, want %+v", f, want)
	}
	if !f.Blocklisted || f.List != "spamrl" || f.ListedIP != "213.187.179.198" || f.DelistURL != "https://spamrl.com/" || f.Kind != KindProvider {
		t.Errorf("rejection %+v", f.Rejection)
	}
	if f.DNSList != nil {
		t.Errorf("spamrl is no DNS list, got %+v", f.DNSList)
	}
	if f.Time == nil || !f.Time.Equal(time.Date(2017, 8, 21, 8, 12, 3, 0, time.UTC)) || f.TimeSource != "date" {
		t.Errorf("time %v from %q, want the Date header", f.Time, f.TimeSource)
	}
}
