/*
 * opml.c: an OPML 2.0 outline of feeds (http://opml.org/spec2.opml), the
 * subscription list feed readers import in one step.
 *
 * Each feed is one <outline type="rss"> with text, title, xmlUrl, htmlUrl
 * and description; type "rss" is what OPML 2.0 says for any feed format.
 */
#include "render_priv.h"

int render_opml(const char *title, const struct render_outline *v, size_t n,
    struct buf *out, struct pw_error *err)
{
	struct render_xml x;

	if (render_xml_open(&x, out->max, err) != 0)
		return -1;
	render_xml_start(&x, "opml");
	render_xml_attr(&x, "version", "2.0");
	render_xml_start(&x, "head");
	render_xml_text(&x, "title", title);
	render_xml_text(&x, "docs", "http://opml.org/spec2.opml");
	render_xml_end(&x);
	render_xml_start(&x, "body");
	for (size_t i = 0; i < n && render_xml_check(&x) == 0; i++) {
		render_xml_start(&x, "outline");
		render_xml_attr(&x, "type", "rss");
		render_xml_attr(&x, "text", v[i].title);
		render_xml_attr(&x, "title", v[i].title);
		render_xml_url_attr(&x, "xmlUrl", v[i].xml_url);
		render_xml_url_attr(&x, "htmlUrl", v[i].html_url);
		render_xml_attr(&x, "description", v[i].description);
		render_xml_end(&x);
	}
	render_xml_end(&x);
	render_xml_end(&x);
	return render_xml_finish(&x, out, err);
}
