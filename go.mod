module github.com/tclgo/tls

go 1.26.8

// modernc.org/tcl v1.15.2 with modernc.org/libc v1.22.5 (its own
// requirement) builds with Go 1.26 and runs the whole tcltest suite;
// see README, "In Go programs that embed Tcl".
require (
	modernc.org/libc v1.22.5
	modernc.org/tcl v1.15.2
)

require (
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/google/uuid v1.3.0 // indirect
	github.com/mattn/go-isatty v0.0.16 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	golang.org/x/sys v0.0.0-20220811171246-fbc7d0a398ab // indirect
	modernc.org/httpfs v1.0.6 // indirect
	modernc.org/mathutil v1.5.0 // indirect
	modernc.org/memory v1.5.0 // indirect
	modernc.org/z v1.7.3 // indirect
)
