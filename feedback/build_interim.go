package feedback

// Build until branch feedback-core's lands: the header only (deleted when
// it is merged).
func Build(in Input) (*Report, error) {
	lang := in.Lang
	if !in.Survey.HasLanguage(lang) {
		lang = in.Survey.DefaultLanguage
	}
	return &Report{Survey: in.Survey.Slug, Title: in.Survey.Title.In(lang, in.Survey.DefaultLanguage), Lang: lang,
		LibraryID: in.Self.LibraryID, Library: in.Self.Library, Generated: in.Now,
		Groups: []Group{{Dimension: "all", Label: "All respondents", N: len(in.Others)}}}, nil
}
