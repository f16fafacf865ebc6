// `npm run bench`: every benchmark, each printing a table.
import { runHttpBench } from './http.bench';

await runHttpBench();
