/* registry_xml.c: IANA's XML rendering, read with expat.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * <registry> holds <title>, <updated>, the <record>s and <people>. A
 * record's fields are the text of its children (name, number, protocol,
 * description, note, sc, unauthorized) and its attributes date and updated.
 * People are <xref type="person"> inside <assignee> or <contact>, or
 * directly in the record: there they name the contact, and the assignee
 * too when the record has no <assignee> (old records). Other xrefs directly
 * in the record are its references.
 *
 * IANA's Protocol Numbers registry (root id "protocol-numbers") has its
 * records in a nested <registry id="protocol-numbers-1">, with children
 * value, name, description, ipv6 and xref: the nested registry gives its
 * records and nothing else (its title is not the document's). Any other
 * root id is the services registry, read as it always was.
 *
 * Text comes out as IANA's CSV has it, so that both inputs give the same
 * records: an xref as "[RFC6335]", "[draft-...]" or "[its text]", and a run
 * of white space holding <br/>s as one space.
 *
 * The input is not trusted: entity declarations are refused (billion
 * laughs, XXE), nothing external is ever loaded, elements nest at most
 * MAX_DEPTH deep and an element's text is capped at MAX_TEXT bytes.
 */
#include <errno.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "index-format.h"
#include "registry.h"

#define IANA_NS "http://www.iana.org/assignments"
#define NS_SEP '\n'     /* expat refuses it inside a namespace URI */
#define MAX_DEPTH 64
#define MAX_TEXT (1u << 20)
#define CHUNK (1 << 20)  /* XML_Parse takes an int length */

enum elem {
	E_OTHER,        /* not the registry's: ignored with all it holds */
	E_REGISTRY, E_SUBREGISTRY, E_TITLE, E_UPDATED, E_RECORD, E_FIELD,
	E_ASSIGNEE, E_CONTACT, E_XREF, E_PEOPLE, E_PERSON, E_PFIELD,
	E_INLINE,       /* markup inside a text: <br/>, <paragraph> */
};

struct buf {
	char *p;
	size_t len, cap;
};

struct frame {
	enum elem kind;
	int field;              /* E_FIELD: enum registry_field; E_PFIELD: PF_* */
	struct buf *dest;       /* E_XREF: where its rendering goes */
	size_t mark;            /* E_XREF: its "[" in x->text */
	size_t text_mark;       /* E_XREF: its own text in x->text */
};

enum { PF_NAME, PF_ORG, PF_URI, PF_UPDATED, PF_COUNT };

struct xml {
	XML_Parser p;
	struct registry *reg;
	struct diags *d;
	const char *file;
	unsigned database;      /* enum idx_database, from the root (or forced) */
	const char *const *fields;   /* field_names or protocol_fields */
	int err;                /* the first error; parsing stops there */
	struct frame stack[MAX_DEPTH];
	int depth;
	struct buf text;        /* of the element being read */
	int after_br;           /* white space after a <br/> is dropped */
	struct registry_record *rec;
	struct registry_person *person;
	struct buf ref, persons, assignee, contact;   /* of the record */
};

static const char *const field_names[F_COUNT] = {
	[F_NAME] = "name", [F_PORT] = "number", [F_PROTO] = "protocol",
	[F_DESCRIPTION] = "description", [F_NOTES] = "note",
	[F_SERVICE_CODE] = "sc", [F_UNAUTHORIZED] = "unauthorized",
};

static const char *const protocol_fields[F_COUNT] = {
	[F_NAME] = "name", [F_PORT] = "value", [F_DESCRIPTION] = "description",
	[F_IPV6] = "ipv6", [F_NOTES] = "note",
};

static const char *const person_fields[PF_COUNT] = {
	[PF_NAME] = "name", [PF_ORG] = "org", [PF_URI] = "uri",
	[PF_UPDATED] = "updated",
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static unsigned long line(const struct xml *x)
{
	return (unsigned long)XML_GetCurrentLineNumber(x->p);
}

/* Record the first error and make expat return. */
static void stop(struct xml *x, int err)
{
	if (!x->err)
		x->err = err;
	XML_StopParser(x->p, XML_FALSE);
}

static int buf_add(struct xml *x, struct buf *b, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (n > MAX_TEXT - b->len) {
		diag_add(x->d, DIAG_ERROR, x->file, line(x),
		         "text longer than %u bytes", MAX_TEXT);
		stop(x, -EINVAL);
		return -1;
	}
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			stop(x, -ENOMEM);
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* b's text with white space trimmed, as a registry string; b is emptied. */
static const char *take(struct xml *x, struct buf *b)
{
	const char *s, *e;
	char *r;

	if (b->len == 0)
		return "";
	s = b->p;
	e = b->p + b->len;
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	r = registry_strndup(x->reg, s, (size_t)(e - s));
	b->len = 0;
	if (!r)
		stop(x, -ENOMEM);
	return r;
}

/* The local name of an element in the IANA namespace or in none; NULL for
 * one in another namespace. */
static const char *local_name(const XML_Char *name)
{
	const char *sep = strchr(name, NS_SEP);

	if (!sep)
		return name;
	if ((size_t)(sep - name) == strlen(IANA_NS) &&
	    memcmp(name, IANA_NS, strlen(IANA_NS)) == 0)
		return sep + 1;
	return NULL;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	return "";
}

static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* An xref renders as "[its text]", or when it has none "[its data]" with
 * RFC numbers upper case as the CSV has them. The data goes into x->text at
 * once since the attributes do not outlive this call; its text, if any,
 * replaces the data at the end. */
static void xref_start(struct xml *x, struct frame *f, const XML_Char **atts)
{
	const char *data = attr(atts, "data");
	size_t n = strlen(data);

	f->mark = x->text.len;
	x->after_br = 0;
	if (buf_add(x, &x->text, "[", 1) < 0 || buf_add(x, &x->text, data, n) < 0)
		return;
	if (strcmp(attr(atts, "type"), "rfc") == 0 && strncmp(data, "rfc", 3) == 0)
		memcpy(x->text.p + f->mark + 1, "RFC", 3);
	f->text_mark = x->text.len;
}

static void xref_end(struct xml *x, struct frame *f)
{
	struct buf *t = &x->text;
	const char *s = t->p + f->text_mark, *e = t->p + t->len;

	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (s < e) {
		memmove(t->p + f->mark + 1, s, (size_t)(e - s));
		t->len = f->mark + 1 + (size_t)(e - s);
	} else {
		t->len = f->text_mark;
	}
	if (t->len == f->mark + 1)
		t->len = f->mark;       /* neither text nor data */
	else if (buf_add(x, t, "]", 1) < 0)
		return;
	if (f->dest != t && buf_add(x, f->dest, t->p + f->mark, t->len - f->mark) == 0)
		t->len = f->mark;
}

/* White space around <br/>s becomes one space. */
static void br(struct xml *x)
{
	while (x->text.len && is_space(x->text.p[x->text.len - 1]))
		x->text.len--;
	if (buf_add(x, &x->text, " ", 1) == 0)
		x->after_br = 1;
}

static void record_start(struct xml *x, const XML_Char **atts)
{
	x->rec = registry_add(x->reg, x->file, line(x));
	if (!x->rec) {
		stop(x, -ENOMEM);
		return;
	}
	x->rec->f[F_REGISTERED] = registry_strdup(x->reg, attr(atts, "date"));
	x->rec->f[F_MODIFIED] = registry_strdup(x->reg, attr(atts, "updated"));
	if (!x->rec->f[F_REGISTERED] || !x->rec->f[F_MODIFIED])
		stop(x, -ENOMEM);
	x->ref.len = x->persons.len = x->assignee.len = x->contact.len = 0;
}

/* People directly in the record are its contact, and its assignee when it
 * has no <assignee>: the CSV shows [Jon_Postel] in both columns for those. */
static void record_end(struct xml *x)
{
	const char *persons = take(x, &x->persons);
	const char *a = x->assignee.len ? take(x, &x->assignee) : persons;
	const char *c = x->contact.len ? take(x, &x->contact) : persons;
	const char *ref = take(x, &x->ref);

	if (x->err)
		return;
	x->rec->f[F_ASSIGNEE] = a;
	x->rec->f[F_CONTACT] = c;
	x->rec->f[F_REFERENCE] = ref;
	x->rec = NULL;
}

/* A field given twice keeps both texts, one per line. */
static void field_end(struct xml *x, int field)
{
	const char *old = x->rec->f[field], *s = take(x, &x->text);
	char *both;
	size_t n;

	if (!s || !old[0]) {
		if (s)
			x->rec->f[field] = s;
		return;
	}
	n = strlen(old);
	both = registry_strndup(x->reg, NULL, n + 1 + strlen(s));
	if (!both) {
		stop(x, -ENOMEM);
		return;
	}
	memcpy(both, old, n);
	both[n] = '\n';
	strcpy(both + n + 1, s);
	x->rec->f[field] = both;
}

/* The registry's title and date and a person's details are one line each
 * wherever they are shown (the export's header, a contact table). */
static const char *take_line(struct xml *x)
{
	struct buf *b = &x->text;
	size_t n = 0;

	for (size_t i = 0; i < b->len; i++) {
		char c = is_space(b->p[i]) ? ' ' : b->p[i];

		if (c != ' ' || (n && b->p[n - 1] != ' '))
			b->p[n++] = c;
	}
	b->len = n;
	return take(x, b);
}

static void pfield_end(struct xml *x, int field)
{
	const char *s = take_line(x);
	struct registry_person *p = x->person;

	if (!s)
		return;
	switch (field) {
	case PF_NAME: p->name = s; break;
	case PF_ORG: p->org = s; break;
	case PF_URI: p->uri = s; break;
	default: p->updated = s; break;
	}
}

/* The root <registry> says which registry the document is, unless the
 * caller said it. */
static void root(struct xml *x, const XML_Char **atts)
{
	if (!x->database)
		x->database = strcmp(attr(atts, "id"), "protocol-numbers") == 0 ?
		              IDX_DB_PROTOCOLS : IDX_DB_SERVICES;
	x->fields = x->database == IDX_DB_PROTOCOLS ? protocol_fields : field_names;
	x->reg->database = x->database;
}

/* What an element is, from its parent and its name. */
static enum elem classify(struct xml *x, const struct frame *parent,
                          const char *name, const XML_Char **atts, struct frame *f)
{
	enum elem in = parent ? parent->kind : E_OTHER;

	if (in == E_FIELD || in == E_PFIELD || in == E_TITLE || in == E_UPDATED ||
	    in == E_XREF || in == E_INLINE) {
		if (name && strcmp(name, "xref") == 0) {
			f->dest = &x->text;
			return E_XREF;
		}
		return E_INLINE;
	}
	if (!name)
		return E_OTHER;
	switch (in) {
	case E_REGISTRY:
		if (strcmp(name, "title") == 0)
			return E_TITLE;
		if (strcmp(name, "updated") == 0)
			return E_UPDATED;
		if (strcmp(name, "record") == 0)
			return E_RECORD;
		if (strcmp(name, "people") == 0)
			return E_PEOPLE;
		if (strcmp(name, "registry") == 0 && x->database == IDX_DB_PROTOCOLS)
			return E_SUBREGISTRY;
		return E_OTHER;
	case E_SUBREGISTRY:
		if (strcmp(name, "record") == 0)
			return E_RECORD;
		return strcmp(name, "registry") == 0 ? E_SUBREGISTRY : E_OTHER;
	case E_RECORD:
		f->field = lookup(x->fields, F_COUNT, name);
		if (f->field >= 0)
			return E_FIELD;
		if (strcmp(name, "assignee") == 0)
			return E_ASSIGNEE;
		if (strcmp(name, "contact") == 0)
			return E_CONTACT;
		if (strcmp(name, "xref") == 0) {
			f->dest = strcmp(attr(atts, "type"), "person") == 0 ?
			          &x->persons : &x->ref;
			return E_XREF;
		}
		return E_OTHER;
	case E_ASSIGNEE:
	case E_CONTACT:
		f->dest = in == E_ASSIGNEE ? &x->assignee : &x->contact;
		return strcmp(name, "xref") == 0 ? E_XREF : E_OTHER;
	case E_PEOPLE:
		return strcmp(name, "person") == 0 ? E_PERSON : E_OTHER;
	case E_PERSON:
		f->field = lookup(person_fields, PF_COUNT, name);
		return f->field >= 0 ? E_PFIELD : E_OTHER;
	default:
		return E_OTHER;
	}
}

static void XMLCALL start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct xml *x = data;
	const char *name = local_name(el);
	struct frame *parent = x->depth ? &x->stack[x->depth - 1] : NULL, *f;

	if (x->err)
		return;
	if (x->depth == MAX_DEPTH) {
		diag_add(x->d, DIAG_ERROR, x->file, line(x),
		         "elements nested more than %d deep", MAX_DEPTH);
		stop(x, -EINVAL);
		return;
	}
	if (!parent && (!name || strcmp(name, "registry") != 0)) {
		diag_add(x->d, DIAG_ERROR, x->file, line(x),
		         "not an IANA registry: the root element is not <registry> in %s",
		         IANA_NS);
		stop(x, -EINVAL);
		return;
	}
	if (!parent)
		root(x, atts);
	f = &x->stack[x->depth++];
	memset(f, 0, sizeof(*f));
	f->kind = parent ? classify(x, parent, name, atts, f) : E_REGISTRY;
	switch (f->kind) {
	case E_RECORD:
		record_start(x, atts);
		break;
	case E_PERSON:
		x->person = registry_add_person(x->reg);
		if (!x->person || !(x->person->id = registry_strdup(x->reg, attr(atts, "id"))))
			stop(x, -ENOMEM);
		break;
	case E_XREF:
		xref_start(x, f, atts);
		break;
	case E_INLINE:
		if (name && strcmp(name, "br") == 0)
			br(x);
		break;
	case E_TITLE: case E_UPDATED: case E_FIELD: case E_PFIELD:
		x->text.len = 0;
		x->after_br = 0;
		break;
	default:
		break;
	}
}

static void XMLCALL end(void *data, const XML_Char *el)
{
	struct xml *x = data;
	struct frame *f;
	const char *s;

	(void)el;
	if (x->err)
		return;
	f = &x->stack[--x->depth];
	switch (f->kind) {
	case E_TITLE:
	case E_UPDATED:
		s = take_line(x);
		if (s)
			*(f->kind == E_TITLE ? &x->reg->title : &x->reg->updated) = s;
		break;
	case E_FIELD:
		field_end(x, f->field);
		break;
	case E_PFIELD:
		pfield_end(x, f->field);
		break;
	case E_XREF:
		xref_end(x, f);
		break;
	case E_RECORD:
		record_end(x);
		break;
	default:
		break;
	}
}

static void XMLCALL text(void *data, const XML_Char *s, int len)
{
	struct xml *x = data;
	enum elem k = x->depth ? x->stack[x->depth - 1].kind : E_OTHER;
	size_t n = (size_t)len;

	if (x->err || k == E_OTHER || k == E_REGISTRY || k == E_SUBREGISTRY ||
	    k == E_RECORD || k == E_ASSIGNEE || k == E_CONTACT || k == E_PEOPLE ||
	    k == E_PERSON)
		return;
	if (x->after_br) {
		while (n && is_space(*s)) {
			s++;
			n--;
		}
		if (!n)
			return;
		x->after_br = 0;
	}
	buf_add(x, &x->text, s, n);
}

/* Declared entities are how billion-laughs and XXE documents work, and the
 * registry declares none. */
static void XMLCALL entity_decl(void *data, const XML_Char *name, int is_param,
                               const XML_Char *value, int value_len,
                               const XML_Char *base, const XML_Char *system_id,
                               const XML_Char *public_id, const XML_Char *notation)
{
	struct xml *x = data;

	(void)name; (void)is_param; (void)value; (void)value_len; (void)base;
	(void)system_id; (void)public_id; (void)notation;
	if (x->err)
		return;
	diag_add(x->d, DIAG_ERROR, x->file, line(x), "entity declarations are not allowed");
	stop(x, -EINVAL);
}

/* Expat skips a reference to an entity it was not shown (an external DTD
 * could declare it); nothing here may depend on such a file. */
static void XMLCALL skipped_entity(void *data, const XML_Char *name, int is_param)
{
	struct xml *x = data;

	if (x->err)
		return;
	diag_add(x->d, DIAG_ERROR, x->file, line(x), "reference to an undeclared entity %s%s;",
	         is_param ? "%" : "&", name);
	stop(x, -EINVAL);
}

static int run(struct xml *x, const char *data, size_t len)
{
	enum XML_Status st;

	do {
		int n = len > CHUNK ? CHUNK : (int)len;

		st = XML_Parse(x->p, data, n, len == (size_t)n);
		data += n;
		len -= (size_t)n;
	} while (st == XML_STATUS_OK && len);
	if (x->err)
		return x->err;
	if (st == XML_STATUS_OK)
		return 0;
	if (XML_GetErrorCode(x->p) == XML_ERROR_NO_MEMORY)
		return -ENOMEM;
	diag_add(x->d, DIAG_ERROR, x->file, (unsigned long)XML_GetCurrentLineNumber(x->p),
	         "XML error at column %lu: %s",
	         (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1,
	         XML_ErrorString(XML_GetErrorCode(x->p)));
	return -EINVAL;
}

static int parse(struct registry *reg, const char *data, size_t len, const char *file,
                 unsigned database, struct diags *d)
{
	struct xml x = { .reg = reg, .d = d, .file = file, .database = database,
	                 .fields = field_names };
	int r;

	/* Read as UTF-8 whatever the declaration says: that is what
	 * registry_read_file() has checked. */
	x.p = XML_ParserCreateNS("UTF-8", NS_SEP);
	if (!x.p)
		return -ENOMEM;
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, start, end);
	XML_SetCharacterDataHandler(x.p, text);
	XML_SetEntityDeclHandler(x.p, entity_decl);
	XML_SetSkippedEntityHandler(x.p, skipped_entity);
	XML_SetParamEntityParsing(x.p, XML_PARAM_ENTITY_PARSING_NEVER);
	r = run(&x, data, len);
	XML_ParserFree(x.p);
	free(x.text.p);
	free(x.ref.p);
	free(x.persons.p);
	free(x.assignee.p);
	free(x.contact.p);
	return r;
}

int registry_parse_xml(struct registry *reg, const char *data, size_t len,
                       const char *file, struct diags *d)
{
	return parse(reg, data, len, file, 0, d);
}

int registry_parse_protocols_xml(struct registry *reg, const char *data, size_t len,
                                 const char *file, struct diags *d)
{
	return parse(reg, data, len, file, IDX_DB_PROTOCOLS, d);
}
