package mail_test

import (
	"context"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/metlib/canvass/campaign"
	canvassmail "github.com/metlib/canvass/mail"
	"github.com/metlib/canvass/mail/mailtest"
)

func TestParseURL(t *testing.T) {
	c, err := canvassmail.ParseURL("smtp://survey%40example.org:s3cr%2Ft@mail.example.org?from=Section%20%3Csurvey@example.org%3E")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "mail.example.org:587" || c.ImplicitTLS || c.User != "survey@example.org" || c.Password != "s3cr/t" || c.From.Address != "survey@example.org" || c.From.Name != "Section" {
		t.Errorf("parsed %+v", c)
	}
	if c, _ := canvassmail.ParseURL("smtps://mail.example.org?from=a@example.org"); c.Addr != "mail.example.org:465" || !c.ImplicitTLS {
		t.Errorf("smtps: %+v", c)
	}
	for raw, want := range map[string]string{
		"http://mail.example.org?from=a@b.org": "scheme",
		"smtp://mail.example.org":              "?from=",
		"smtp://mail.example.org?from=nobody":  "not an email address",
		"smtp://?from=a@b.org":                 "no host",
	} {
		if _, err := canvassmail.ParseURL(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
}

func TestSendAllDeliversAndReportsRefusals(t *testing.T) {
	server := mailtest.Start(t)
	server.Reject("gone@example.net")
	cfg, err := canvassmail.ParseURL("smtp://" + server.Addr + "?from=Sección%20<survey@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	messages := []campaign.Message{
		{To: mail.Address{Name: "Zoë Ł.", Address: "zoe@example.com"}, Subject: "Enquête : les bibliothèques métropolitaines", Body: "Bonjour Zoë,\nVotre lien : https://survey.example.org/s/landscape?t=abc&lang=fr\n" + strings.Repeat("é", 100)},
		{To: mail.Address{Address: "gone@example.net"}, Subject: "x", Body: "y"},
		{To: mail.Address{Address: "third@example.com"}, Subject: "三", Body: "図書館"},
	}
	results := make([]error, len(messages))
	reported := 0
	err = canvassmail.NewSender(cfg).SendAll(context.Background(), messages, func(i int, err error) { results[i] = err; reported++ })
	if err != nil {
		t.Fatal(err)
	}
	if reported != 3 || results[0] != nil || results[2] != nil || results[1] == nil || !strings.Contains(results[1].Error(), "No such mailbox") {
		t.Fatalf("results %v", results)
	}
	got := server.Messages()
	if len(got) != 2 {
		t.Fatalf("%d delivered", len(got))
	}
	first := got[0]
	if first.To != "zoe@example.com" || first.From != "survey@example.org" || first.Subject != messages[0].Subject || first.Body != messages[0].Body {
		t.Errorf("received %+v", first)
	}
	from, err := first.Header.AddressList("From")
	if err != nil || from[0].Name != "Sección" {
		t.Errorf("From header %v %v", from, err)
	}
	if got[1].Subject != "三" || got[1].Body != "図書館" {
		t.Errorf("second %+v", got[1])
	}
}

func TestComposeRefusesHeaderInjection(t *testing.T) {
	from := mail.Address{Address: "survey@example.org"}
	data, err := canvassmail.Compose(from, campaign.Message{To: mail.Address{Name: "A\r\nCc: y@evil.example", Address: "a@example.org"}, Subject: "hi\r\nBcc: x@evil.example"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "\r\nBcc:") || strings.Contains(string(data), "\r\nCc:") {
		t.Errorf("a line break in the subject made a header:\n%s", data)
	}
}
