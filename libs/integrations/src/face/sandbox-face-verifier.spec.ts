import { SANDBOX_LIKENESS_THRESHOLD, sandboxOutcome } from './sandbox-face-verifier';

describe('sandbox face service outcomes', () => {
  const person = { name: '张三', idNumber: '11010519491231002X', documentType: 'mainland_id_card' };
  const good = { face: 'clear', framing: 'full', likeness: 95 } as const;

  it('RN-6: each failure reason is reachable by the capture or the identity, in the order a provider checks', () => {
    expect(sandboxOutcome(good, person)).toBe('passed');
    expect(sandboxOutcome({ ...good, framing: 'partial', face: 'covered' }, person)).toBe(
      'face_not_in_frame',
    );
    expect(sandboxOutcome({ ...good, face: 'covered' }, person)).toBe('face_covered');
    expect(sandboxOutcome(good, { ...person, idNumber: '110105194912310020' })).toBe(
      'name_or_id_number_wrong',
    );
    expect(sandboxOutcome(good, { ...person, name: '张' })).toBe('name_or_id_number_wrong');
    expect(sandboxOutcome({ ...good, likeness: SANDBOX_LIKENESS_THRESHOLD - 1 }, person)).toBe(
      'face_unlike_id_photo',
    );
    expect(sandboxOutcome({ ...good, likeness: SANDBOX_LIKENESS_THRESHOLD }, person)).toBe('passed');
    expect(
      sandboxOutcome(good, {
        name: 'Chan Tai Man',
        idNumber: 'H12345678',
        documentType: 'hong_kong_macau_permit',
      }),
    ).toBe('passed');
  });
});
