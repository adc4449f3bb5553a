import { definePathRule } from './rule';

export const pathCycle = definePathRule({
  id: 'path-cycle',
  description: 'Roles that can assume each other in a cycle: any of them reaches all the others, and a chain can be renewed hop by hop.',
  defaultEnforcement: 'advisory',
  fix: 'Break the cycle: remove one of the roles from the next one\'s trust policy.',
  check: (ctx) =>
    ctx.cycles.map((roles) => {
      const fix = `Break the cycle: remove one of these roles from the next one's trust policy (${roles.join(', ')}).`;
      return { subject: roles.join(','), message: `${roles.length === 1 ? `${roles[0]} can assume itself` : `${roles.length} roles can assume each other in a cycle: ${roles.join(', ')}`}; each of them reaches all the others. ${fix}`, fix };
    }),
});
