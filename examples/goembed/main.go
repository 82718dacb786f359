// Command goembed fetches a page over HTTPS with Tcl's http package and
// the tls package, in a Go program that embeds Tcl:
//
//	go run ./examples/goembed [-cafile ca.pem] [url]
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/tclgo/tls/tlsembed"
)

const fetch = `
package require http
package require tls

proc fetch {url cafile} {
    set opts {-autoservername true -require true}
    if {$cafile ne ""} {
        lappend opts -cafile $cafile
    }
    http::register https 443 [list ::tls::socket {*}$opts]
    set tok [http::geturl $url -timeout 10000]
    try {
        if {[http::status $tok] ne "ok"} {
            error "$url: [http::status $tok] [http::error $tok]"
        }
        return "[http::ncode $tok] [http::data $tok]"
    } finally {
        http::cleanup $tok
    }
}
`

func main() {
	cafile := flag.String("cafile", "", "more CA certificates to trust (PEM)")
	flag.Parse()
	url := "https://www.example.org/"
	if flag.NArg() > 0 {
		url = flag.Arg(0)
	}
	page, err := get(url, *cafile)
	if err != nil {
		log.Fatal(err) // Tcl's message, e.g. "... certificate verify failed ..."
	}
	fmt.Println(page)
}

// get returns the status code and body of url.
func get(url, cafile string) (string, error) {
	in, err := tlsembed.NewInterp() // Tcl, its script library, package tls
	if err != nil {
		return "", err
	}
	defer in.Close()
	if _, err := in.Eval(fetch); err != nil {
		return "", err
	}
	return in.Call("fetch", url, cafile) // each Go string is one word
}
