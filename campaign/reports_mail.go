package campaign

import (
	"bytes"
	"context"
	"net/mail"
	"strconv"
	"strings"

	"github.com/metlib/canvass/export"
	"github.com/metlib/canvass/survey"
)

// Telling the libraries their report is ready: one email per responding
// library (report_ready, in its invitation's language) with a fresh
// personal link to its report, through the SMTP server or the mail-merge
// file. Tokens are kept only as hashes, so each mail carries a link made
// for it, added to the invitation's others (those sent before keep
// working, the form's included).

// reportMail is one library's report-ready mail, its link issued.
type reportMail struct {
	inv     *survey.Invitation
	library string
	link    string
	message Message
}

// reportLink is the personal link to a report.
func reportLink(base string, inv *survey.Invitation, secret string) string {
	return strings.TrimSuffix(base, "/") + "/s/" + inv.SurveySlug + "/report?t=" + secret + "&lang=" + inv.Language
}

// reportMails issues, for each responding library of sv that answered
// through an invitation (not withdrawn) and was not told since the
// reports were last released (all: every one), a fresh link and renders
// its mail. The links are stored before they are mailed or written to a
// file, so a delivered link always works. Call it holding the survey's
// invitation lock.
func (s *Service) reportMails(ctx context.Context, sv *survey.Survey, base string, all bool) ([]reportMail, error) {
	rel, err := s.cfg.Reports.ReportRelease(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	if !rel.Released() {
		return nil, survey.Errorf(survey.ECONFLICT, "The reports of %s are not released: release them first, or the links would lead nowhere.", sv.Slug)
	}
	if sv.AcceptingAt(s.now()) {
		return nil, errOpen(sv)
	}
	emailed, err := s.cfg.Reports.ReportsEmailed(ctx, sv.Slug)
	if err != nil {
		return nil, err
	}
	now, _, respondents, err := s.reportBasis(ctx, sv)
	if err != nil {
		return nil, err
	}
	if !now.Released() {
		return nil, survey.Errorf(survey.ECONFLICT, "The reports of %s were withdrawn meanwhile.", sv.Slug)
	}
	templates, err := s.templatesOf(ctx, sv)
	if err != nil {
		return nil, err
	}
	var out []reportMail
	for _, p := range respondents {
		if p.LibraryID == "" || p.Library == "" || p.invitationID == "" {
			continue
		}
		if at, ok := emailed[p.LibraryID]; ok && !all && !at.Before(*rel.ReleasedAt) {
			continue
		}
		inv, err := s.cfg.Invitations.FindInvitation(ctx, p.invitationID)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if inv.Revoked || inv.Email == "" {
			continue
		}
		secret, hash := survey.NewSecret()
		inv.TokenHashes = append(inv.TokenHashes, hash)
		if err := s.cfg.Invitations.UpdateInvitation(ctx, inv); err != nil {
			return nil, err
		}
		link := reportLink(base, inv, secret)
		tmpl := templateFor(templates, survey.MailReportReady, inv.Language, sv.DefaultLanguage)
		subject, body, err := tmpl.Render(survey.MailData{Name: inv.Name, Library: p.Library, Survey: sv.Title.In(tmpl.Language, sv.DefaultLanguage), Link: link})
		if err != nil {
			return nil, err
		}
		out = append(out, reportMail{inv: inv, library: p.Library, link: link,
			message: Message{To: mail.Address{Name: inv.Name, Address: inv.Email}, Subject: subject, Body: body}})
	}
	return out, nil
}

// SendReports emails every responding library of survey slug not yet told
// since the release that its report is ready (all: every responding
// library again), each in its invitation's language with a fresh personal
// link to its report starting with base, the public address; each mail
// accepted is recorded (ReportLibrary.Emailed). A recipient the server
// refuses fails alone and is listed. Admins only; audited.
//
// Returns ECONFLICT when the reports are not released or no SMTP server
// is configured (use ReportMailMerge), ENOTFOUND for an unknown survey,
// EUNAVAILABLE when the SMTP server cannot be reached.
func (s *Service) SendReports(ctx context.Context, slug, base string, all bool) (*SendResult, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	if s.cfg.Mailer == nil {
		return nil, survey.Errorf(survey.ECONFLICT, "Canvass is not set up to send email (an administrator of the server sets CANVASS_SMTP_URL): download the mail-merge file instead and send it with your own mail program.")
	}
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	mails, err := s.reportMails(ctx, sv, base, all)
	if err != nil {
		return nil, err
	}
	messages := make([]Message, len(mails))
	for i, m := range mails {
		messages[i] = m.message
	}
	res := &SendResult{Kind: survey.MailReportReady, Failed: []SendFailure{}}
	err = s.cfg.Mailer.SendAll(ctx, messages, func(i int, sendErr error) {
		m := mails[i]
		if sendErr != nil {
			res.Failed = append(res.Failed, SendFailure{m.inv.ID, m.library, m.inv.Email, sendErr.Error()})
			return
		}
		res.Sent++
		// The context may be ending; the outcome is still worth keeping.
		if err := s.cfg.Reports.RecordReportEmailed(context.WithoutCancel(ctx), sv.Slug, m.inv.LibraryID, s.now().UTC()); err != nil {
			s.log.WarnContext(ctx, "record report email", "error", err, "library", m.inv.LibraryID)
		}
	})
	if err != nil {
		return nil, &survey.Error{Code: survey.EUNAVAILABLE, Message: "Could not reach the SMTP server: " + err.Error(), Err: err}
	}
	s.audit(ctx, "reports.send", "survey:"+sv.Slug, strconv.Itoa(res.Sent)+" sent, "+strconv.Itoa(len(res.Failed))+" failed")
	return res, nil
}

// ReportMailMerge makes the mail-merge file of the report-ready mails, as
// "csv" or "xlsx" (MergeColumns: library, contact, email, language, link,
// subject, body), for a section that mails them itself: a row per
// responding library not yet told since the release (all: every one),
// each with a fresh link to its report. Every library in the file counts
// as told at the file's making. Admins only; audited. Returns ECONFLICT
// when the reports are not released or no library is due one, EINVALID
// for another format, ENOTFOUND for an unknown survey.
func (s *Service) ReportMailMerge(ctx context.Context, slug, base, format string, all bool) (*MergeFile, error) {
	if err := require(ctx, survey.RoleAdmin); err != nil {
		return nil, err
	}
	if format != "csv" && format != "xlsx" {
		return nil, survey.Errorf(survey.EINVALID, "The mail-merge file is csv or xlsx, not %q.", format)
	}
	mu := s.invitationLock(slug)
	mu.Lock()
	defer mu.Unlock()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, err
	}
	mails, err := s.reportMails(ctx, sv, base, all)
	if err != nil {
		return nil, err
	}
	if len(mails) == 0 {
		return nil, survey.Errorf(survey.ECONFLICT, "Every responding library of %s has been told its report is ready since the release; ask for all of them to tell them again.", sv.Slug)
	}
	rows := [][]string{MergeColumns}
	for _, m := range mails {
		rows = append(rows, []string{m.library, m.inv.Name, m.inv.Email, m.inv.Language, m.link, m.message.Subject, m.message.Body})
	}
	var buf bytes.Buffer
	if format == "xlsx" {
		err = export.TableXLSX(&buf, "Reports", rows, 40)
	} else {
		err = export.TableCSV(&buf, rows)
	}
	if err != nil {
		return nil, err
	}
	for _, m := range mails {
		if err := s.cfg.Reports.RecordReportEmailed(ctx, sv.Slug, m.inv.LibraryID, s.now().UTC()); err != nil {
			return nil, err
		}
	}
	s.audit(ctx, "reports.mailmerge", "survey:"+sv.Slug, format+": "+strconv.Itoa(len(mails))+" report links issued")
	return &MergeFile{Data: buf.Bytes(), Rows: len(mails)}, nil
}
