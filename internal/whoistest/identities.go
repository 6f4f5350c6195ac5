package whoistest

// identities lists, per base network, every string of the real answer
// (WHOIS and RDAP alike) that names its holder or the people behind it, and
// the fictional value a Variant puts in its place: organisation, role and
// person names, postal addresses, telephone and fax numbers, descr and
// remarks text naming the company, handles and maintainers, the origin AS.
// {name}, {hdl}, {domain} and {asn} are the variant's Holder and origin.
// Telephone numbers are from ranges set aside for fiction: Ofcom's drama
// numbers (+44 20 7946 0xxx), NANP's 555-01xx, and +65 numbers starting
// with 0, which Singapore does not assign. TestVariantsNameNoRealHolder
// derives the real side from the fixtures and fails on any left over.
var identities = map[string][][2]string{
	"ripe":    bt,
	"ripe-v6": bt,
	"arin":    shaw,
	"apnic":   starhub,
}

// bt: ripe.txt, ripe-v6.txt and their RDAP answers (British
// Telecommunications).
var bt = [][2]string{
	{"BT Corporate Registry", "{name} Registry"},
	{"British Telecommunications", "{name} Ltd"},
	{"81 Newgate Street", "1 Example Street"},
	{"London GB", "Example City GB"},
	{"central contact point for BT Corporate data networks", "central contact point for {name} data networks"},
	{"BT Computer Emergency Response Team", "{name} Computer Emergency Response Team"},
	{"BT Security Computer Emergency Response Team", "{name} Security Computer Emergency Response Team"},
	{"PP L16", "Room 16"},
	{"Pheonix House", "Example House"},
	{"202 Elder Gate", "2 Example Gate"},
	{"Milton Keynes", "Example Town"},
	{"Buckinghamshire", "Exampleshire"},
	{"MK9 1BE", "EX1 1EX"},
	{"+44 1908 609 271", "+44 20 7946 0001"},
	{"+44 1908 230 343", "+44 20 7946 0002"},
	{"Graham Popple", "{name} Network Engineer"},
	{"Adastral Park", "Example Park"},
	{"Ipswich", "Example Village"},
	{"B62-MH", "B1-EX"},
	{"+44 1473 629 324", "+44 20 7946 0003"},
	{"BT World IPv6 Launch", "{name} IPv6 Launch"},
	{"BT UK aggregate", "{name} aggregate"},
	{"UDC", "{name} data centre"},
	{"BTL", "{name}"},
	{"BTENT-MNT", "{hdl}-ENT-MNT"},
	{"BTNET-MNT", "{hdl}-NET-MNT"},
	{"CIP-MNT", "{hdl}-RT-MNT"},
	{"BCER1-RIPE", "{hdl}CERT1-RIPE"},
	{"BTCR1-RIPE", "{hdl}REG1-RIPE"},
	{"BTCR3-RIPE", "{hdl}REG3-RIPE"},
	{"SAM62-RIPE", "{hdl}P1-RIPE"},
	{"SW4727-RIPE", "{hdl}P2-RIPE"},
	{"LBH1-RIPE", "{hdl}P3-RIPE"},
	{"GP12878-RIPE", "{hdl}P4-RIPE"},
	{"AS2856", "AS{asn}"},
}

// shaw: arin.txt (Shaw Communications; contacts at Rogers).
var shaw = [][2]string{
	{"Shaw Communications Inc.", "{name} Inc."},
	{"SHAWC", "{hdl}C"},
	{"Suite 800", "Suite 100"},
	{"630 - 3rd Ave. SW", "1 Example Ave. SW"},
	{"Calgary", "Example City"},
	{"T2P-4L4", "X0X-0X0"},
	{"rwhois.shawcable.net", "rwhois.{domain}"},
	{"SHAWA-ARIN", "{hdl}A-ARIN"},
	{"SHAW ABUSE", "{name} Abuse"},
	{"+1-403-750-7420", "+1-403-555-0100"},
	{"ZS178-ARIN", "{hdl}T1-ARIN"},
	{"IP Admin", "{name} Tech Admin"},
	{"+1-416-786-1640", "+1-416-555-0101"},
	{"Zhu, Jing", "Example, Alex"},
	{"ZHUJI1-ARIN", "{hdl}T2-ARIN"},
	{"+1-587-393-0668", "+1-587-555-0102"},
	{"AS6327", "AS{asn}"},
}

// starhub: apnic.txt (StarHub, Singapore).
var starhub = [][2]string{
	{"StarHub Internet Pte Ltd", "{name} Pte Ltd"},
	{"Starhub Internet Pte Ltd", "{name} Pte Ltd"},
	{"Singapore Broadband Access Provider", "{name} Broadband Access"},
	{"StarHub Ltd 67 Ubi Avenue 1 Singapore 408942 # 05-01 StarHub Green", "{name} Ltd 1 Example Avenue Singapore 000001 # 01-01 Example Green"},
	{"Starhub Ltd.", "{name} Ltd."},
	{"67 Ubi Avenue 1", "1 Example Avenue"},
	{"# 05-01", "# 01-01"},
	{"StarHub Green", "Example Green"},
	{"+65-68255000", "+65-0000-0001"},
	{"+65-68206008", "+65-0000-0002"},
	{"ABUSE STARHUBINTERNETSG", "ABUSE {hdl}"},
	{"StarHub IP Administrator", "{name} Registry Administrator"},
	{"c/o IP NOC", "c/o {name} NOC"},
	{"19 Tai Seng Drive", "2 Example Drive"},
	{"Singapore 535222", "Singapore 000002"},
	{"+65-6825-7878", "+65-0000-0003"},
	{"ORG-SIPL5-AP", "ORG-{hdl}1-AP"},
	{"SH1233-AP", "{hdl}1-AP"},
	{"AS2611-AP", "{hdl}A1-AP"},
	{"ACS7-AP", "{hdl}2-AP"},
	{"MAINT-AS4657-AP", "MAINT-AS{asn}-AP"},
	{"AS4657", "AS{asn}"},
	{"AS138345", "AS64511"},
	{"AS9874", "AS64512"},
}
