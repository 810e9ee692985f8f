/* fields.h: a record's text fields by number, so that lookup and diff
 * show, compare and name them the same way (the JSON key is the name).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef IANA_TOOL_FIELDS_H
#define IANA_TOOL_FIELDS_H

#include "iana-services.h"
#include "json.h"

enum record_text {
	RT_DESCRIPTION, RT_ASSIGNEE, RT_CONTACT, RT_REGISTERED, RT_MODIFIED,
	RT_REFERENCE, RT_SERVICE_CODE, RT_UNAUTHORIZED, RT_NOTES, RT_COUNT
};

static inline const char *record_text_key(enum record_text f)
{
	static const char *const keys[RT_COUNT] = {
		[RT_DESCRIPTION] = "description", [RT_ASSIGNEE] = "assignee",
		[RT_CONTACT] = "contact", [RT_REGISTERED] = "registered",
		[RT_MODIFIED] = "modified", [RT_REFERENCE] = "reference",
		[RT_SERVICE_CODE] = "service_code", [RT_UNAUTHORIZED] = "unauthorized_use",
		[RT_NOTES] = "notes",
	};

	return keys[f];
}

static inline const char *record_text(const struct iana_record *r, enum record_text f)
{
	const char *const v[RT_COUNT] = {
		[RT_DESCRIPTION] = r->description, [RT_ASSIGNEE] = r->assignee,
		[RT_CONTACT] = r->contact, [RT_REGISTERED] = r->registered,
		[RT_MODIFIED] = r->modified, [RT_REFERENCE] = r->reference,
		[RT_SERVICE_CODE] = r->service_code, [RT_UNAUTHORIZED] = r->unauthorized,
		[RT_NOTES] = r->notes,
	};

	return v[f];
}

/* The record's own fields as keys of the object being written: every one,
 * null when the registry leaves it empty. */
static inline void json_record_fields(struct json *j, const struct iana_record *r)
{
	int port = (r->flags & IANA_RECORD_HAS_PORT) != 0;

	json_key(j, "name");
	json_str_or_null(j, r->name);
	json_key(j, "port_lo");
	if (port)
		json_uint(j, r->port_lo);
	else
		json_null(j);
	json_key(j, "port_hi");
	if (port)
		json_uint(j, r->port_hi);
	else
		json_null(j);
	json_key(j, "protocol");
	json_str_or_null(j, r->proto);
	for (int f = 0; f < RT_COUNT; f++) {
		json_key(j, record_text_key((enum record_text)f));
		json_str_or_null(j, record_text(r, (enum record_text)f));
	}
}

#endif
