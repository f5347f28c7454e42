import { z } from 'zod';
import type { Capacity } from '../../cloud/model.js';
import { wholeNumber } from '../stage-fields.js';

const instances = wholeNumber(0, 'expected a whole number of instances, 0 or more');

/** `{min, max, desired}`, each a number or numeric text as Deck writes them. */
export const capacityField = z
  .looseObject({ min: instances, max: instances, desired: instances }, { error: 'expected a capacity {"min": …, "max": …, "desired": …}' })
  .refine((capacity) => capacity.min <= capacity.desired && capacity.desired <= capacity.max, { error: 'expected min ≤ desired ≤ max' })
  .transform((capacity): Capacity => ({ min: capacity.min, max: capacity.max, desired: capacity.desired }));
