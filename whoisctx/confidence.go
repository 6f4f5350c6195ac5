package whoisctx

// Confidence levels, from strongest evidence to weakest. The registry's own
// abuse-c answer is what the RIRs ask reporters to use (RIPE-705 "abuse-c");
// a DNS directory is a good cross-check; remarks and guesses need a person.
const (
	confRDAPAbuse       = 0.95 // RDAP entity with role "abuse"
	confRDAPAmbiguous   = 0.80 // an abuse entity listing several e-mails without a pref
	confAbuseContactFor = 0.92 // RIPE/APNIC "% Abuse contact for … is …"
	confRAbuse          = 0.90 // ARIN network-level RAbuseEmail
	confAbuseMailbox    = 0.88 // abuse-mailbox: in an irt/role/organisation
	confOrgAbuse        = 0.86 // ARIN OrgAbuseEmail
	confAbuseHandle     = 0.85 // LACNIC / registro.br abuse-c handle e-mail
	confAbusix          = 0.70 // Abusix contact DB
	confRegistrar       = 0.60 // registrar abuse contact (RDAP/WHOIS domain)
	confAbuseNet        = 0.55 // abuse.net directory
	confIrtFallback     = 0.45 // the irt's e-mail when no abuse contact is registered: needs review
	confRemarks         = 0.35 // an address seen only in remarks: needs review
	confTechFallback    = 0.30 // OrgTechEmail, tech-c, RDAP technical: needs review
	confGuess           = 0.10 // abuse@domain (RFC 2142 §2), unverified
	confAgreeBonus      = 0.03 // two independent sources agree
)
