// An APNs-like HTTPS server on Go's standard library only (net/http's bundled HTTP/2 server), for the
// sender's interoperability suite. The scripted protocol is described in tests/interop/README.md.
//
//	go-server -cert server.pem -key server-key.pem
//
// Listens on 127.0.0.1, port 0; prints the port as stdout's first line, then one JSON line per
// answered request; exits when stdin closes.
package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type connKey struct{}

var (
	connCounter int64
	outMu       sync.Mutex
)

// event is one stdout line: what the server answered, for the suite to check nothing was lost.
type event struct {
	Conn   int64  `json:"conn"`
	Stream int    `json:"stream,omitempty"`
	Status int    `json:"status"`
	ApnsID string `json:"apnsId"`
	Reason string `json:"reason,omitempty"`
	Goaway bool   `json:"goaway,omitempty"`
}

func emit(e event) {
	line, _ := json.Marshal(e)
	outMu.Lock()
	defer outMu.Unlock()
	os.Stdout.Write(append(line, '\n'))
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// padding is n bytes of header-safe text that HPACK's Huffman code barely shrinks.
func padding(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = alphabet[x%64]
	}
	return string(b)
}

func defaultReason(status int) string {
	switch status {
	case 400:
		return "BadRequest"
	case 403:
		return "Forbidden"
	case 404:
		return "BadPath"
	case 405:
		return "MethodNotAllowed"
	case 410:
		return "Unregistered"
	case 413:
		return "PayloadTooLarge"
	case 429:
		return "TooManyRequests"
	case 500:
		return "InternalServerError"
	case 503:
		return "ServiceUnavailable"
	}
	return ""
}

func handle(w http.ResponseWriter, r *http.Request) {
	connID, _ := r.Context().Value(connKey{}).(int64)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// The stream was reset or the connection went away before the body ended.
		return
	}
	apnsID := r.Header.Get("apns-id")
	status, reason := 200, ""

	switch {
	case r.Method != http.MethodPost:
		status, reason = 405, "MethodNotAllowed"
	case !strings.HasPrefix(r.URL.Path, "/3/device/") || len(r.URL.Path) == len("/3/device/"):
		status, reason = 404, "BadPath"
	case r.Header.Get("x-interop-status") != "":
		status, _ = strconv.Atoi(r.Header.Get("x-interop-status"))
		reason = r.Header.Get("x-interop-reason")
		if reason == "" {
			reason = defaultReason(status)
		}
	case r.Header.Get("x-body-sha256") != "" && r.Header.Get("x-body-sha256") != sha256Hex(body):
		status, reason = 400, "BadPayload"
	case r.Header.Get("x-interop-blob-sha256") != "" &&
		r.Header.Get("x-interop-blob-sha256") != sha256Hex([]byte(r.Header.Get("x-interop-blob"))):
		status, reason = 400, "BadHeader"
	}

	h := w.Header()
	if n, _ := strconv.Atoi(r.Header.Get("x-interop-pad")); n > 0 {
		h.Set("x-interop-pad", padding(n))
	}
	if answerID := r.Header.Get("x-interop-apns-id"); answerID != "" {
		h.Set("apns-id", answerID)
	} else if apnsID != "" {
		h.Set("apns-id", apnsID)
	}
	goaway := r.Header.Get("x-interop-goaway") != ""
	if goaway {
		// net/http's HTTP/2 server turns "Connection: close" into a graceful shutdown: GOAWAY
		// (NO_ERROR, last stream id = the highest stream it has seen, no debug data), then it
		// finishes the streams up to that id and closes the connection.
		h.Set("Connection", "close")
	}
	emit(event{Conn: connID, Status: status, ApnsID: apnsID, Reason: reason, Goaway: goaway})

	if reason == "" {
		w.WriteHeader(status)
		return
	}
	payload := map[string]interface{}{"reason": reason}
	if status == 410 {
		ts := time.Now().UnixMilli()
		if v, err := strconv.ParseInt(r.Header.Get("x-interop-timestamp"), 10, 64); err == nil {
			ts = v
		}
		payload["timestamp"] = ts
	}
	out, _ := json.Marshal(payload)
	h.Set("content-type", "application/json")
	h.Set("content-length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	w.Write(out)
}

func main() {
	certFile := flag.String("cert", "", "server certificate chain (PEM)")
	keyFile := flag.String("key", "", "server private key (PEM)")
	flag.Parse()
	log.SetOutput(os.Stderr)

	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatalf("go-server: %v", err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatalf("go-server: %v", err)
	}
	server := &http.Server{
		Handler: http.HandlerFunc(handle),
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			NextProtos:   []string{"h2"},
			MinVersion:   tls.VersionTLS12,
		},
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, connKey{}, atomic.AddInt64(&connCounter, 1))
		},
		ErrorLog: log.New(os.Stderr, "go-server: ", 0),
	}
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)

	// Never outlive the test: stdin closes when the parent goes away.
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	if err := server.ServeTLS(listener, "", ""); err != nil && err != http.ErrServerClosed {
		log.Fatalf("go-server: %v", err)
	}
}
