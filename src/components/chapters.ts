import { getCollection, type CollectionEntry } from 'astro:content';

/** A chapter entry from content/chapters/. */
export type Chapter = CollectionEntry<'chapters'>;

/**
 * All chapters in reading order. Two chapters with the same `order` would make prev/next and the
 * numbering ambiguous, so that fails the build with both file ids.
 */
export async function getChapters(): Promise<Chapter[]> {
  const chapters = (await getCollection('chapters')).sort((a, b) => a.data.order - b.data.order);
  for (let i = 1; i < chapters.length; i++) {
    if (chapters[i].data.order === chapters[i - 1].data.order) {
      throw new Error(
        `content/chapters: "${chapters[i - 1].id}" and "${chapters[i].id}" both have order ${chapters[i].data.order}`,
      );
    }
  }
  return chapters;
}
