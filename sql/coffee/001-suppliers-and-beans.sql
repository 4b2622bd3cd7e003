-- Seed 004's café database COFFEE: the suppliers, and the beans each one supplies.
-- Plain SQL that runs alike on MySQL 8 (Aurora MySQL 3) and MariaDB 10.11: no JSON
-- operators, no MySQL-8-only collations, no `INSERT ... AS new`.
CREATE TABLE suppliers (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  address VARCHAR(255) NOT NULL,
  phone VARCHAR(32) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY suppliers_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE beans (
  supplier_id INT UNSIGNED NOT NULL,
  type VARCHAR(50) NOT NULL,
  product_name VARCHAR(100) NOT NULL,
  quantity INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (supplier_id, product_name),
  CONSTRAINT beans_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
