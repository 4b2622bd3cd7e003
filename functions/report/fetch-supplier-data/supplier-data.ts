import type { Connection, RowDataPacket } from 'mysql2/promise';

export interface Bean {
  readonly type: string;
  readonly productName: string;
  readonly quantity: number;
}

export interface Supplier {
  readonly id: number;
  readonly name: string;
  readonly address: string;
  readonly phone: string;
  /** By product name; empty for a supplier with no beans listed. */
  readonly beans: readonly Bean[];
}

/** What the report is made of: every supplier, with the beans each one supplies now. */
export interface SupplierData {
  /** ISO 8601, UTC: when the database was read. */
  readonly readAt: string;
  readonly suppliers: readonly Supplier[];
}

interface SupplierBeanRow extends RowDataPacket {
  id: number;
  name: string;
  address: string;
  phone: string;
  type: string | null;
  product_name: string | null;
  quantity: number | null;
}

/**
 * Reads every supplier and its beans in one query (the lab's data step joins beans to
 * their supplier). A LEFT JOIN keeps suppliers that list no beans: the report should show
 * them, not drop them.
 */
export async function fetchSupplierData(connection: Connection, now: () => Date = () => new Date()): Promise<SupplierData> {
  const [rows] = await connection.query<SupplierBeanRow[]>(
    `SELECT s.id, s.name, s.address, s.phone, b.type, b.product_name, b.quantity
       FROM suppliers s LEFT JOIN beans b ON b.supplier_id = s.id
      ORDER BY s.name, s.id, b.product_name`,
  );
  const readAt = now().toISOString();
  const suppliers = new Map<number, Supplier & { beans: Bean[] }>();
  for (const row of rows) {
    let supplier = suppliers.get(row.id);
    if (!supplier) {
      supplier = { id: row.id, name: row.name, address: row.address, phone: row.phone, beans: [] };
      suppliers.set(row.id, supplier);
    }
    if (row.product_name !== null) {
      supplier.beans.push({ type: row.type ?? '', productName: row.product_name, quantity: Number(row.quantity ?? 0) });
    }
  }
  return { readAt, suppliers: [...suppliers.values()] };
}
