import suppliersAndBeans from '../../../sql/coffee/001-suppliers-and-beans.sql';
import sampleData from '../../../sql/coffee/002-sample-data.sql';
import type { Migration } from './migrations';

/**
 * The files of sql/coffee/, bundled into the function as text: a deploy applies exactly
 * what the repo holds. A test checks this list against the directory, so a new file
 * cannot be forgotten here.
 */
export const COFFEE_MIGRATIONS: readonly Migration[] = [
  { name: '001-suppliers-and-beans.sql', sql: suppliersAndBeans },
  { name: '002-sample-data.sql', sql: sampleData },
];
