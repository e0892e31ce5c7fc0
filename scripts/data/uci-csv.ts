/**
 * Rebuilds public/data/iris.csv and public/data/wine.csv from the copies scikit-learn ships
 * (Debian package python3-sklearn): their first line is "<rows>,<features>,<class names…>" and
 * the last column a class number. We write a plain CSV with a header of column names and the
 * class names in the label column, which is what a reader's own file looks like.
 *
 *   npx tsx scripts/data/uci-csv.ts [sklearn-data-dir]
 *   (default /usr/lib/python3/dist-packages/sklearn/datasets/data, after
 *    `apt-get install python3-sklearn`)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '/usr/lib/python3/dist-packages/sklearn/datasets/data';

function convert(src: string, dst: string, columns: string[]) {
  const lines = readFileSync(join(dir, src), 'utf8').trim().split(/\r?\n/);
  const classes = lines[0].split(',').slice(2);
  const out = [columns.join(',')];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    out.push([...cells.slice(0, -1), classes[Number(cells.at(-1))]].join(','));
  }
  writeFileSync(dst, out.join('\n') + '\n');
  console.log(`${dst}: ${lines.length - 1} rows`);
}

convert('iris.csv', 'public/data/iris.csv', ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
convert('wine_data.csv', 'public/data/wine.csv', [
  'alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids',
  'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280_od315', 'proline', 'cultivar',
]);
