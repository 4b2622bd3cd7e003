import { DIGEST_LISTED_PRODUCTS, DIGEST_SUBJECT, uploadDigest } from '../../../../functions/inventory/process-inventory-file/upload-digest';
import { SEED_INVENTORY_ITEMS } from '../../support/seed-inventory';

describe('the upload digest', () => {
  it("names the file, counts its products and lists them, under the seed's subject", () => {
    const digest = uploadDigest('uploads/inventory.json', SEED_INVENTORY_ITEMS);
    expect(digest.subject).toBe(DIGEST_SUBJECT);
    const [first] = SEED_INVENTORY_ITEMS;
    expect(digest.message).toContain(`The inventory file uploads/inventory.json was written: ${SEED_INVENTORY_ITEMS.length} products, new or updated.`);
    expect(digest.message).toContain(`- ${first.name} (product ID ${first.productId}): quantity ${first.quantity}, price ${first.price}`);
    expect(digest.message).not.toContain('more.');
  });

  it('lists the first products of a large upload and counts the rest, staying far below what SNS takes', () => {
    const items = Array.from({ length: 10_000 }, (_, index) => ({ productId: `P${index}`, name: 'x'.repeat(1024), quantity: index, price: 1.5 }));
    const digest = uploadDigest('uploads/big.json', items);
    expect(digest.message).toContain('was written: 10,000 products');
    expect(digest.message).toContain(`- ${'x'.repeat(1024)} (product ID P${DIGEST_LISTED_PRODUCTS - 1})`);
    expect(digest.message).not.toContain(`(product ID P${DIGEST_LISTED_PRODUCTS})`);
    expect(digest.message).toContain(`...and ${(10_000 - DIGEST_LISTED_PRODUCTS).toLocaleString('en-US')} more.`);
    expect(Buffer.byteLength(digest.message)).toBeLessThan(256 * 1024);
  });

  it('says "product" for one', () => {
    expect(uploadDigest('uploads/one.json', [{ productId: 'P1', name: 'Mug', quantity: 1, price: 2 }]).message).toMatch(/written: 1 product, new or updated/);
  });
});
