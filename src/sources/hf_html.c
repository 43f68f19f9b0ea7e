/*
 * hf_html.c: the Hugging Face papers web page, the fallback when the API
 * is unavailable (anonymous clients get fewer page loads than API calls).
 *
 * The page embeds the day's list as HTML-escaped JSON in the data-props
 * attribute of <div data-target="DailyPapers">: an object whose
 * dailyPapers key holds the same wrappers the API returns, and whose date
 * key is the list date. Older pages (2024) have no submittedOnDailyAt on
 * their papers, so that date becomes their listed_at.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "../timefmt.h"
#include "hf_common.h"
#include "source.h"

#define HF_HTML_DEFAULT_URL "https://huggingface.co/papers"

/* One page, no paging: step 0 page 0 is the configured url itself. */
static char *hf_html_request_url(
    const struct source_params *p, unsigned step, unsigned page)
{
	if (step > 0 || page > 0)
		return NULL;
	return strdup(p->url != NULL ? p->url : HF_HTML_DEFAULT_URL);
}

/* The node after n in document order, without recursion (a hostile page
 * may nest elements deeply). */
static xmlNode *next_node(xmlNode *n)
{
	if (n->type == XML_ELEMENT_NODE && n->children != NULL)
		return n->children;
	while (n != NULL && n->next == NULL)
		n = n->parent;
	return n != NULL ? n->next : NULL;
}

/* new (xmlFree): the data-props of the first element whose data-target is
 * "DailyPapers", or NULL with err set. */
static xmlChar *find_props(xmlDoc *doc, struct pw_error *err)
{
	for (xmlNode *n = doc->children; n != NULL; n = next_node(n)) {
		xmlChar *target;
		xmlChar *props;
		int match;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		target = xmlGetProp(n, BAD_CAST "data-target");
		match = target != NULL &&
		        xmlStrcmp(target, BAD_CAST "DailyPapers") == 0;
		xmlFree(target);
		if (!match)
			continue;
		props = xmlGetProp(n, BAD_CAST "data-props");
		if (props == NULL)
			pw_error_set(err, "the DailyPapers element has no "
			                  "data-props attribute");
		return props;
	}
	pw_error_set(err, "no element with data-target=\"DailyPapers\"");
	return NULL;
}

/*
 * The document is an HTML page holding the DailyPapers element; its
 * data-props must be a JSON object with a dailyPapers array. Anything else
 * is -1: a page without the list is a changed or error page, not an empty
 * day.
 */
static int hf_html_parse(const struct source_params *p, const char *body,
    size_t len, struct entry_list *out, size_t *items, size_t *skipped,
    struct pw_error *err)
{
	const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                    HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS;
	xmlDoc *doc = NULL;
	xmlChar *props = NULL;
	json_t *root = NULL;
	const json_t *papers, *date;
	int64_t listed = 0;
	int rc = -1;

	if (items != NULL)
		*items = 0;
	if (skipped != NULL)
		*skipped = 0;
	if (len == 0 || len > INT_MAX) {
		pw_error_set(err, "not an HTML document (%zu bytes)", len);
		goto done;
	}
	/* Hugging Face serves UTF-8 (its Content-Type says so, which
	 * outranks any <meta>); saying so keeps libxml2 from guessing. */
	doc = htmlReadMemory(body, (int)len, p->url, "UTF-8", options);
	if (doc == NULL) {
		pw_error_set(err, "not an HTML document");
		goto done;
	}
	if ((props = find_props(doc, err)) == NULL)
		goto done;
	root = hf_common_load((const char *)props, strlen((char *)props), err);
	if (root == NULL) {
		pw_error_prefix(err, "data-props");
		goto done;
	}
	papers = json_object_get(root, "dailyPapers");
	if (!json_is_array(papers)) {
		pw_error_set(err, "data-props: expected a dailyPapers array");
		goto done;
	}
	date = json_object_get(root, "date");
	if (json_is_string(date) &&
	    timefmt_parse_rfc3339(json_string_value(date), &listed) == 0)
		listed = timefmt_day_start(listed);
	else
		listed = 0;
	rc = hf_common_parse_array(
	    papers, p->name, listed, out, items, skipped, err);
done:
	json_decref(root);
	xmlFree(props);
	xmlFreeDoc(doc);
	return rc;
}

const struct source_ops source_hf_html_ops = {
    .type = "hf_html",
    .default_url = HF_HTML_DEFAULT_URL,
    .page_size = 0,
    .request_url = hf_html_request_url,
    .parse = hf_html_parse,
};
