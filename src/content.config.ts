import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** A paper or page a chapter cites. `id` is what the prose refers to, e.g. `mcmahan2017`. */
const reference = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  authors: z.string().min(1),
  year: z.number().int().min(1900).max(2100),
  url: z.string().url(),
});

/** The book: content/chapters/<slug>.mdx → /chapters/<slug>/. */
const chapters = defineCollection({
  loader: glob({ base: './content/chapters', pattern: '**/*.mdx' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1),
    /** Position in the book, 1-based; also the chapter number shown to the reader. */
    order: z.number().int().min(1),
    /** One line for the chapter list on the home page. */
    summary: z.string().min(1),
    references: z.array(reference).default([]),
  }),
});

/** Pages outside the book (about, …): content/pages/<slug>.mdx. */
const pages = defineCollection({
  loader: glob({ base: './content/pages', pattern: '**/*.mdx' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1),
  }),
});

/** The glossary: one entry per term, in the spec's wording. */
const glossary = defineCollection({
  loader: file('./content/glossary.json'),
  schema: z.object({
    id: z.string().min(1),
    /** The Korean term as the book uses it. */
    ko: z.string().min(1),
    /** The English term, shown in parentheses at first use. */
    en: z.string().min(1),
    definition: z.string().min(1),
    /** Slug of the chapter that introduces the term. */
    chapter: z.string().min(1),
    /**
     * The Korean term is the English word written in Hangul (서버, 클라이언트, 라운드): the book
     * never adds the English in parentheses after it (checked by tests/unit/content.test.ts).
     */
    loanword: z.boolean().optional(),
  }),
});

export const collections = { chapters, pages, glossary };
