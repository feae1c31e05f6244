import { expect } from 'chai';
import { groupByProject } from '../../src/providers/pubsub.js';

describe('groupByProject', () => {
  it('groups items by project, each group in the order given, projects in first-seen order', () => {
    const items = [
      { projectId: 2, n: 1 },
      { projectId: 1, n: 2 },
      { projectId: 2, n: 3 },
      { projectId: 1, n: 4 },
    ];
    const groups = groupByProject(items);
    expect([...groups.keys()]).to.deep.equal([2, 1]);
    expect(groups.get(2)!.map((i) => i.n)).to.deep.equal([1, 3]);
    expect(groups.get(1)!.map((i) => i.n)).to.deep.equal([2, 4]);
    expect(groupByProject([]).size).to.equal(0);
  });
});
