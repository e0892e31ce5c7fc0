/**
 * Client side of the search page. Pagefind is imported at run time from the built site
 * (`<base>pagefind/pagefind.js`), so it is never bundled and works under any BASE_PATH.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  options(o: { baseUrl?: string; excerptLength?: number }): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(q: string, o?: object, ms?: number): Promise<{ results: { data(): Promise<PagefindResultData> }[] } | null>;
}

const BASE = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
const MAX_RESULTS = 20;

let pagefind: Promise<Pagefind> | undefined;
function loadPagefind(): Promise<Pagefind> {
  pagefind ??= (async () => {
    const pf = (await import(/* @vite-ignore */ `${BASE}pagefind/pagefind.js`)) as Pagefind;
    await pf.options({ baseUrl: BASE, excerptLength: 24 });
    await pf.init();
    return pf;
  })();
  return pagefind;
}

/** Wires the search page: reads ?q=, searches as the reader types, keeps the URL in step. */
export function runSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  if (!form || !input || !status || !list) return;

  let latest = 0;
  const run = async (query: string) => {
    const ticket = ++latest;
    const q = query.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!q) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = '검색하는 중…';
    let pf: Pagefind;
    try {
      pf = await loadPagefind();
    } catch {
      status.textContent = '검색 색인을 불러오지 못했습니다. 사이트를 빌드한 뒤(npm run build) 미리 보기에서 다시 시도해 주세요.';
      pagefind = undefined;
      return;
    }
    const search = await pf.debouncedSearch(q, {}, 150);
    if (search === null || ticket !== latest) return; // superseded by a newer keystroke
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (ticket !== latest) return;
    list.replaceChildren(
      ...data.map((d) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = d.url;
        a.textContent = d.meta.title ?? d.url;
        const p = document.createElement('p');
        // Pagefind's excerpt is escaped text from our own pages with <mark> around the hits.
        p.innerHTML = d.excerpt;
        li.append(a, p);
        return li;
      }),
    );
    status.textContent =
      search.results.length === 0
        ? `“${q}”에 대한 결과가 없습니다.`
        : `“${q}” 검색 결과 ${search.results.length}건${search.results.length > MAX_RESULTS ? ` 중 ${MAX_RESULTS}건` : ''}`;
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run(input.value);
  });
  input.addEventListener('input', () => void run(input.value));

  const initial = new URLSearchParams(location.search).get('q') ?? '';
  input.value = initial;
  if (initial) void run(initial);
  else input.focus();
}
