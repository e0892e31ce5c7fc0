/**
 * Hashes of inline <style> elements that our libraries insert at run time, for the CSP
 * (astro.config.mjs adds them to style-src-elem). Plain JavaScript so the config can import it.
 *
 * Observable Plot puts the same fixed <style> into every chart SVG (its default class
 * `plot-d6a7b5`); the page keeps one copy of it in <head> (src/widgets/renderers/plot-image.ts).
 * The text changes only when Plot changes its default styles, and then its
 * class name changes too; tests/unit/runtime/csp-hashes.test.ts recomputes the hash from the
 * installed Plot and fails if this constant is stale. Plot's legends bring other <style>
 * elements: the widgets label their lines directly instead of using Plot legends.
 */
export const PLOT_STYLE_HASH = 'sha256-jSYQUrW7J0b3jPqhZP9C2Xh1PyJKHKXd4s0fpGGKrww=';
