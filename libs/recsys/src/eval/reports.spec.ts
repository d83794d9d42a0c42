import type { PrequentialReport, RecommenderResult } from './prequential-evaluator';
import { renderHtmlReport } from './report-html';
import { formatReportTable, liftOverBestBaseline } from './report-table';

function result(name: string, hr10: number): RecommenderResult {
  return {
    name,
    metrics: {
      'HR@10': hr10,
      'NDCG@10': hr10 / 2,
      'MRR@10': 0,
      'HR@20': hr10,
      'NDCG@20': 0,
      'MRR@20': 0,
    },
    coverage: { '@10': 0.5, '@20': 0.6 },
    msPerStep: { recommend: 1, observe: 0.1 },
    hitRateCurve: [
      { step: 10, value: hr10 / 2 },
      { step: 20, value: hr10 },
    ],
  };
}

const report: PrequentialReport = {
  events: 100,
  droppedConsecutiveRepeats: 3,
  warmupEvents: 0,
  evaluatedSteps: 20,
  revisitTargets: 2,
  catalogSize: 10,
  users: 5,
  options: {
    microBatchSize: 8,
    excludeSeen: true,
    dropConsecutiveRepeats: true,
    warmupEvents: 0,
    movingAverageWindow: 10,
    plotPoints: 2,
  },
  recommenders: [result('engine', 0.3), result('item-knn', 0.25), result('<most-popular>', 0.1)],
};

describe('evaluation reports', () => {
  it('computes the relative HR@10 lift over the best other recommender', () => {
    const lift = liftOverBestBaseline(report, 'engine');
    expect(lift?.best).toBe('item-knn');
    expect(lift?.lift).toBeCloseTo(0.2, 10);
  });

  it('prints one aligned row per recommender', () => {
    const lines = formatReportTable(report).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^engine\s+0\.3000\s+0\.1500/);
  });

  it('renders a self-contained page with one escaped curve per recommender', () => {
    const html = renderHtmlReport(report, 'Replay', { input: 'x.csv' });
    expect(html.match(/<polyline/g)).toHaveLength(3);
    expect(html).toContain('&#60;most-popular&#62;');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });
});
