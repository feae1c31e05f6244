import { expect } from 'chai';
import { lastSummaryPeriod } from '../../src/alerts/summary-period.js';
import { trend } from '../../src/alerts/alert-summaries.js';

describe('summary periods in a time zone', () => {
  it('daily at 09:00 Berlin: the day that ended at the last 09:00 local', () => {
    const p = lastSummaryPeriod(new Date('2026-07-15T08:30:00Z'), { period: 'daily', hour: 9, timezone: 'Europe/Berlin' });
    expect(p.boundary.toISOString()).to.equal('2026-07-15T07:00:00.000Z'); // 09:00 CEST
    expect(p.from.toISOString()).to.equal('2026-07-14T07:00:00.000Z');
    expect(p.previousFrom.toISOString()).to.equal('2026-07-13T07:00:00.000Z');
  });

  it('before the hour, the period ends at yesterday\'s hour; across a DST change the offsets differ', () => {
    const p = lastSummaryPeriod(new Date('2026-03-29T06:00:00Z'), { period: 'daily', hour: 9, timezone: 'Europe/Berlin' });
    expect(p.boundary.toISOString()).to.equal('2026-03-28T08:00:00.000Z'); // 09:00 CET, the day before summer time
    const after = lastSummaryPeriod(new Date('2026-03-29T12:00:00Z'), { period: 'daily', hour: 9, timezone: 'Europe/Berlin' });
    expect(after.boundary.toISOString()).to.equal('2026-03-29T07:00:00.000Z'); // 09:00 CEST
  });

  it('weekly on Mondays at 08:00 New York', () => {
    const p = lastSummaryPeriod(new Date('2026-12-03T12:00:00Z'), { period: 'weekly', hour: 8, timezone: 'America/New_York', weekday: 1 });
    expect(p.boundary.toISOString()).to.equal('2026-11-30T13:00:00.000Z');
    expect(p.from.toISOString()).to.equal('2026-11-23T13:00:00.000Z');
  });

  it('trend against the previous period', () => {
    expect(trend(150, 100)).to.equal('+50% vs previous');
    expect(trend(50, 100)).to.equal('-50% vs previous');
    expect(trend(0, 0)).to.equal('no change');
    expect(trend(3, 0)).to.equal('new');
  });
});
