/**
 * Site-internal URLs. Every link and asset path in the chrome goes through `href`, so that the
 * site works at a domain root and under a sub-path (BASE_PATH) alike.
 */

const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

/** `href('chapters/intro/')` → `/chapters/intro/` or `/sub/chapters/intro/`. A leading slash is ignored. */
export function href(path = ''): string {
  return BASE + path.replace(/^\/+/, '');
}

/** URL of a chapter page by its slug (the file name in content/chapters/). */
export function chapterHref(slug: string): string {
  return href(`chapters/${slug}/`);
}

/** URL of a glossary entry; chapters link terms with this anchor. */
export function termHref(id: string): string {
  return href(`glossary/#${encodeURIComponent(id)}`);
}

/** The site's name, in one place for titles, the header and social metadata. */
export const SITE_NAME = '연합 학습과 분할 학습 노트북';
