package mail

import (
	"html"
	"strings"
)

// The emails are composed in Go rather than with text/template and
// html/template. Those packages look methods up by name, which makes the
// linker keep every exported method of every type that reaches an
// interface: 2 MB of the mail sender's bootstrap, past Lambda's 10 MB
// budget. Every value that reaches the HTML part goes through esc.
var esc = html.EscapeString

// Invite is the data of the invitation email.
type Invite struct {
	Name         string // the invitee's name; may be empty
	Email        string
	InviterName  string
	InviterEmail string
	AccountName  string
	Role         string // the role's label
	// AllPermissions is set for an invitation with All; Permissions lists
	// the others, by area.
	AllPermissions bool
	Permissions    []Area
	Link           string
	ExpiresAt      string
}

// Area is what the invitee may do in one area, by label.
type Area struct {
	Area        string
	Permissions []string
}

// Link is the data of the emails that carry a link to confirm an address
// or choose a new password.
type Link struct {
	Name      string
	Link      string
	ExpiresAt string
}

// Registered is the data of the email to a login's owner when someone
// tries to register the address again.
type Registered struct {
	Name   string
	SignIn string
	Reset  string
}

// InviteMessage renders the invitation email to to.
func InviteMessage(to string, d Invite) Message {
	hello := "Hello"
	if d.Name != "" {
		hello += " " + d.Name
	}
	var permsText, permsHTML strings.Builder
	switch {
	case d.AllPermissions:
		permsText.WriteString("  All permissions, including any added later.\n")
		permsHTML.WriteString(`<p style="margin-top:0"><strong>All permissions</strong>, including any added later.</p>` + "\n")
	case len(d.Permissions) > 0:
		permsHTML.WriteString(`<ul style="margin-top:0;padding-left:20px">`)
		for _, a := range d.Permissions {
			permsText.WriteString("  - " + a.Area + ": " + strings.Join(a.Permissions, "; ") + "\n")
			escaped := make([]string, len(a.Permissions))
			for i, p := range a.Permissions {
				escaped[i] = esc(p)
			}
			permsHTML.WriteString("\n<li><strong>" + esc(a.Area) + "</strong>: " + strings.Join(escaped, "; ") + "</li>")
		}
		permsHTML.WriteString("\n</ul>\n")
	default:
		permsText.WriteString("  No permissions yet: the account's admins can add them later.\n")
		permsHTML.WriteString(`<p style="margin-top:0">No permissions yet: the account's admins can add them later.</p>` + "\n")
	}
	return Message{
		To:      to,
		Subject: d.InviterName + " invited you to " + d.AccountName + " on Roster",
		Text: hello + ",\n\n" +
			d.InviterName + " (" + d.InviterEmail + `) invited you to join the account "` + d.AccountName + `" on Roster as ` + d.Role + ".\n\n" +
			"What you will be able to do:\n" + permsText.String() + "\n" +
			"Accept the invitation here:\n\n" + d.Link + "\n\n" +
			"The link is valid until " + d.ExpiresAt + " and works once. You can sign in with " + d.Email + ", or create a Roster login for it.\n\n" +
			"If you did not expect this invitation, ignore this email: nothing happens without the link. Questions about it can go to " + d.InviterEmail + ".\n",
		HTML: page("Your invitation to Roster",
			"<p>"+esc(hello)+",</p>\n"+
				"<p><strong>"+esc(d.InviterName)+"</strong> ("+esc(d.InviterEmail)+") invited you to join the account <strong>"+esc(d.AccountName)+"</strong> on Roster as <strong>"+esc(d.Role)+"</strong>.</p>\n"+
				`<p style="margin-bottom:4px">What you will be able to do:</p>`+"\n"+permsHTML.String()+"\n"+
				button(d.Link, "Accept the invitation")+"\n"+
				"<p>The link is valid until <strong>"+esc(d.ExpiresAt)+"</strong> and works once. You can sign in with "+esc(d.Email)+", or create a Roster login for it.</p>\n"+
				note("If you did not expect this invitation, ignore this email: nothing happens without the link. Questions about it can go to "+esc(d.InviterEmail)+".")),
	}
}

// VerifyMessage renders the email that confirms a login's address.
func VerifyMessage(to string, d Link) Message {
	return linkMessage(to, d, linkText{
		subject: "Confirm your email address for Roster", title: "Confirm your email address",
		intro:  "Confirm your email address to finish setting up your Roster login",
		button: "Confirm email address", expiry: "",
		note: "If you did not create a Roster login, ignore this email: nothing happens without the link.",
	})
}

// ResetMessage renders the email that lets a login's owner choose a new
// password.
func ResetMessage(to string, d Link) Message {
	return linkMessage(to, d, linkText{
		subject: "Reset your Roster password", title: "Reset your password",
		intro:  "Someone (we hope you) asked to reset the password of your Roster login",
		lead:   " Choose a new password here",
		button: "Choose a new password", expiry: " Resetting signs you out everywhere else.",
		note: "If you did not ask for this, ignore this email: your password stays as it is.",
	})
}

// linkText is the wording of an email built around one link.
type linkText struct {
	subject, title string
	// intro is the first sentence, without its stop; lead, when set, is a
	// second one that leads the plain-text part to the link.
	intro, lead string
	button      string
	// expiry follows the sentence on the link's expiry.
	expiry, note string
}

// linkMessage renders an email built around d's link.
func linkMessage(to string, d Link, w linkText) Message {
	leadIn := ":"
	if w.lead != "" {
		leadIn = "." + w.lead + ":"
	}
	return Message{
		To:      to,
		Subject: w.subject,
		Text: "Hello " + d.Name + ",\n\n" + w.intro + leadIn + "\n\n" + d.Link + "\n\n" +
			"The link works once and expires at " + d.ExpiresAt + "." + w.expiry + "\n\n" + w.note + "\n",
		HTML: page(w.title,
			"<p>Hello "+esc(d.Name)+",</p>\n<p>"+esc(w.intro)+".</p>\n"+
				button(d.Link, w.button)+"\n"+
				"<p>The link works once and expires at "+esc(d.ExpiresAt)+"."+esc(w.expiry)+"</p>\n"+
				note(esc(w.note))),
	}
}

// RegisteredMessage renders the email that tells a login's owner someone
// tried to register their address.
func RegisteredMessage(to string, d Registered) Message {
	const title = "Someone tried to create a Roster login with your address"
	return Message{
		To:      to,
		Subject: title,
		Text: "Hello " + d.Name + ",\n\nSomeone just tried to create a Roster login with this email address. You have one already, so nothing was created and nothing changed.\n\n" +
			"If it was you, sign in:\n\n" + d.SignIn + "\n\nForgot your password? Choose a new one here:\n\n" + d.Reset + "\n\n" +
			"If it was not you, ignore this email: your login is as it was.\n",
		HTML: page(title,
			"<p>Hello "+esc(d.Name)+",</p>\n<p>Someone just tried to create a Roster login with this email address. You have one already, so nothing was created and nothing changed.</p>\n"+
				"<p>If it was you, sign in.</p>\n"+button(d.SignIn, "Sign in")+"\n"+
				`<p>Forgot your password? <a href="`+esc(d.Reset)+`">Choose a new one</a>.</p>`+"\n"+
				note("If it was not you, ignore this email: your login is as it was.")),
	}
}

// page frames an email's HTML body (already escaped) under its title.
func page(title, body string) string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>` + esc(title) + `</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px">
<tr><td style="font-size:20px;font-weight:600;padding-bottom:16px">Roster</td></tr>
<tr><td style="font-size:15px;line-height:1.5">
` + body + "\n</td></tr></table></td></tr></table></body></html>"
}

// button is a link drawn as a button, with the link spelled out under it
// for mail clients that hide buttons.
func button(link, label string) string {
	return `<p style="margin:24px 0"><a href="` + esc(link) + `" target="_blank" rel="noopener" style="background:#2457d6;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;display:inline-block;font-weight:600">` + esc(label) + `</a></p>
<p style="font-size:13px;color:#52606d">Or paste this link into your browser:<br><span style="word-break:break-all">` + esc(link) + `</span></p>`
}

// note is a paragraph in small print (its text already escaped).
func note(escaped string) string {
	return `<p style="font-size:13px;color:#52606d">` + escaped + `</p>`
}
