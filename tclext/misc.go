package tclext

import (
	"crypto/rand"
	"encoding/binary"
	"sort"
	"strings"

	"github.com/tclgo/tls/internal/tcl"
	"github.com/tclgo/tls/ossl"
)

// subjectFields maps the name fields of tls::misc's info list to
// OpenSSL's field names.
var subjectFields = map[string]string{
	"C": "C", "ST": "ST", "L": "L", "O": "O", "OU": "OU", "CN": "CN", "Email": "emailAddress",
}

// cmdSelfSigned is tls::_selfsigned keysize ?info?, the part of tls::misc
// req and strreq (tls.tcl) that makes the key and the certificate: it
// returns both in PEM, as a list {key certificate}. info is the list of
// TclTLS 2.0.1: days (365 unless given), serial (random unless given),
// and the subject's C, ST, L, O, OU, CN and Email, in the order given.
func cmdSelfSigned(interp tcl.Interp, objv []tcl.Obj) error {
	if len(objv) < 2 || len(objv) > 3 {
		return tcl.WrongNumArgs("tls::_selfsigned keysize ?info?")
	}
	bits, err := objv[1].Int(interp)
	if err != nil {
		return tcl.ErrResult
	}
	req := ossl.SelfSignedRequest{Bits: int(bits), Days: 365, Serial: -1}
	if len(objv) == 3 {
		info, err := objv[2].List(interp)
		if err != nil {
			return tcl.ErrResult
		}
		if len(info)%2 != 0 {
			return tcl.Errorf("Information list must have even number of arguments")
		}
		for k := 0; k < len(info); k += 2 {
			key, value := info[k].String(), info[k+1]
			switch key {
			case "days", "serial":
				n, err := value.Int(interp)
				if err != nil {
					return tcl.Errorf("bad value for %s: %s", key, interp.Result().String())
				}
				if key == "days" {
					req.Days = int(max(min(n, 1<<30), -1<<30))
				} else if req.Serial = n; n < 0 {
					return tcl.Errorf("bad value \"%d\" for serial: must not be negative", n)
				}
			default:
				field, ok := subjectFields[key]
				if !ok {
					return tcl.Errorf("bad parameter \"%s\": must be %s", key, subjectFieldNames())
				}
				req.Subject = append(req.Subject, ossl.NameEntry{Field: field, Value: value.String()})
			}
		}
	}
	if req.Serial < 0 {
		// A serial number that makes each certificate unique, as X.509
		// wants (TclTLS 2.0.1 gives 0 to all).
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return tcl.Errorf("unable to make a serial number: %v", err)
		}
		req.Serial = int64(binary.BigEndian.Uint64(b[:]) >> 1)
	}
	key, cert, err := ossl.SelfSigned(req)
	if err != nil {
		return tcl.Errorf("%s", err.Error())
	}
	interp.SetResult(tcl.NewList(tcl.NewString(string(key)), tcl.NewString(string(cert))))
	return nil
}

// subjectFieldNames lists the parameters of the info list for messages.
func subjectFieldNames() string {
	names := []string{"days", "serial"}
	for n := range subjectFields {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names[:len(names)-1], ", ") + ", or " + names[len(names)-1]
}

func init() {
	commands["::tls::_selfsigned"] = cmdSelfSigned
}
