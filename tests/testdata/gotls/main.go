// A Go HTTPS server and client for the TLS key log tests (HTTP/1.1 only, so that tshark shows
// the request as "http").
//
//	gotls server ADDR           serves until killed; prints "ready" on stderr when listening
//	gotls client URL tls12|tls13  GETs URL once and prints the body
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"time"
)

func cert() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "ptcpdump.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"ptcpdump.test"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: gotls server ADDR | gotls client URL tls12|tls13")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		ln, err := net.Listen("tcp", os.Args[2])
		if err != nil {
			panic(err)
		}
		srv := &http.Server{
			Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "hello from %s\n", r.URL.Path)
			}),
			TLSConfig:    &tls.Config{Certificates: []tls.Certificate{cert()}},
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		}
		fmt.Fprintln(os.Stderr, "ready", ln.Addr())
		if err := srv.ServeTLS(ln, "", ""); err != nil {
			panic(err)
		}
	case "client":
		version := uint16(tls.VersionTLS13)
		if len(os.Args) > 3 && os.Args[3] == "tls12" {
			version = tls.VersionTLS12
		}
		tr := &http.Transport{TLSClientConfig: &tls.Config{
			InsecureSkipVerify: true,
			MinVersion:         version,
			MaxVersion:         version,
		}}
		c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
		resp, err := c.Get(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(string(body))
	}
}
