import { readFileSync } from 'node:fs';
import { type QuestionTopic, questionTopics } from './questions';
import type { Language } from './replies';

/**
 * The labelled customer questions (`classifier/data/questions.txt`), read in one place: `npm run eval:assistant`
 * scores question detection and the replies on them. Line format: `TOPIC[,TOPIC…] es|pt | text` (NONE: no
 * topic); a `# blind…` header starts the blind part, `# development…` or `# batch…` the development part.
 */

export const QUESTIONS_URL = new URL('./classifier/data/questions.txt', import.meta.url);

export interface LabelledQuestion {
  topics: QuestionTopic[];
  language: Language;
  text: string;
  part: 'development' | 'blind';
}

export function loadQuestions(url: URL = QUESTIONS_URL): LabelledQuestion[] {
  let part: LabelledQuestion['part'] = 'development';
  const questions: LabelledQuestion[] = [];
  for (const line of readFileSync(url, 'utf8').split('\n')) {
    if (/^# blind/.test(line)) part = 'blind';
    else if (/^# (development|batch)/.test(line)) part = 'development';
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([A-Z_,]+) (es|pt) \| (.+)$/.exec(line.trim());
    if (!match) throw new Error(`questions.txt: cannot read "${line}"`);
    const labels = (match[1] ?? '').split(',').filter((label) => label !== 'NONE');
    for (const label of labels)
      if (!questionTopics.includes(label as QuestionTopic))
        throw new Error(`unknown topic ${label} in "${line}"`);
    questions.push({
      topics: labels as QuestionTopic[],
      language: match[2] as Language,
      text: match[3] ?? '',
      part,
    });
  }
  return questions;
}
