module github.com/tclgo/tls

go 1.26.8
