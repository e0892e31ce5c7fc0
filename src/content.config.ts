import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** A paper or page a chapter cites. `id` is what the prose refers to, e.g. `[mcmahan2017]`. */
const reference = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  authors: z.string().min(1),
  year: z.number().int().min(1900).max(2100),
  url: z.string().url(),
});

const chapters = defineCollection({
  loader: glob({ base: './content', pattern: '**/*.mdx' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1),
    /** Position in the book, 1-based; also the chapter number shown to the reader. */
    order: z.number().int().min(1),
    /** One line for the chapter list on the home page. */
    summary: z.string().min(1).optional(),
    references: z.array(reference).default([]),
  }),
});

export const collections = { chapters };
