package whoisctx

import (
	"fmt"
	"io"
	"net/http"
)

// cappedHTTPClient returns a copy of c whose response bodies fail with
// ErrTooLarge past max bytes (openrdap reads bodies with io.ReadAll, and a
// hostile server could otherwise send gigabytes) and which never follows a
// redirect by itself.
func cappedHTTPClient(c *http.Client, max int64) *http.Client {
	cp := *c
	// Redirects come back to rdapDo, which checks and follows them itself.
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = cappedTransport{base: base, max: max}
	return &cp
}

type cappedTransport struct {
	base http.RoundTripper
	max  int64
}

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedReader{rc: resp.Body, left: t.max}
	return resp, nil
}

// cappedReader reads at most left bytes, then fails with ErrTooLarge.
type cappedReader struct {
	rc   io.ReadCloser
	left int64
}

func (r *cappedReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, fmt.Errorf("more than the limit: %w", ErrTooLarge)
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.rc.Read(p)
	r.left -= int64(n)
	return n, err
}

func (r *cappedReader) Close() error { return r.rc.Close() }
