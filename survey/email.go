package survey

import (
	"net/mail"
	"strings"
)

// Length limits of an address, from RFC 5321 §4.5.3.1: a path holds at most
// 256 octets including its angle brackets, so an address at most 254, and a
// local part at most 64. Longer addresses are refused by mail servers, so a
// contact stored with one could never be reached.
const (
	maxEmailLength = 254
	maxEmailLocal  = 64
)

// CheckEmail returns s as a bare email address, or an EINVALID error whose
// message says what is wrong. It is the one email rule of Canvass, used for
// accounts, email answers, library contacts and the directory import alike.
//
// A bare address is what RFC 5322 calls an addr-spec, local@domain, and
// nothing else:
//   - surrounding white space is trimmed, and the address is lower-cased
//     (mail providers ignore case, and one person must not become two
//     accounts or two contacts by typing a capital);
//   - no display name, angle brackets or comments: "Ada <ada@example.org>"
//     is refused, since where a bare address is wanted a name is a mistake
//     (mail.ParseAddress alone would quietly take the address out of it);
//   - the local part is a dot-atom (quoted local parts are refused), at most
//     64 bytes; the domain is a dot-atom host name with at least one dot (not
//     a [literal], not "localhost"); at most 254 bytes in all.
//
// The address is not looked up: whether a domain receives mail is only
// known by sending to it.
func CheckEmail(s string) (string, error) {
	typed := strings.TrimSpace(s)
	s = strings.ToLower(typed)
	bad := func(why string) error {
		return Errorf(EINVALID, "Not an email address: %s (%s).", typed, why)
	}
	if s == "" {
		return "", Errorf(EINVALID, "Enter an email address, like name@example.org.")
	}
	if strings.ContainsAny(s, "<>()") {
		return "", bad("give the address alone, without a name, brackets or comments")
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", bad("it has no @")
	}
	local, domain := s[:at], s[at+1:]
	switch {
	case len(s) > maxEmailLength:
		return "", bad("it is longer than 254 characters")
	case len(local) > maxEmailLocal:
		return "", bad("the part before the @ is longer than 64 characters")
	case strings.HasPrefix(domain, "["):
		return "", bad("the domain must be a name, not an IP address")
	case !strings.Contains(domain, "."):
		return "", bad("the domain after the @ needs a dot, as in example.org")
	}
	// net/mail checks the dot-atom grammar of both parts. Comparing its
	// result with the input refuses whatever it would have rewritten: a
	// quoted local part comes back unquoted, a display name separated.
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", bad("it has a space, a quote or a character an address cannot hold")
	}
	return s, nil
}
