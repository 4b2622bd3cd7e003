-- Sample suppliers and their beans, so that a fresh database has a report to show.
INSERT INTO suppliers (id, name, address, phone) VALUES
  (1, 'Highland Roasters', '12 Ridge Road, Addis Ababa, Ethiopia', '+251 11 555 0101'),
  (2, 'Café do Vale', 'Rua das Flores 88, Minas Gerais, Brazil', '+55 31 5550 0202'),
  (3, 'Pacific Bean Co.', '400 Harbor Street, Seattle, WA, USA', '+1 206 555 0303');

INSERT INTO beans (supplier_id, type, product_name, quantity) VALUES
  (1, 'Arabica', 'Yirgacheffe Washed', 120),
  (1, 'Arabica', 'Sidamo Natural', 75),
  (2, 'Arabica', 'Santos Bourbon', 200),
  (2, 'Robusta', 'Conilon Dark', 40),
  (3, 'Blend', 'Harbor House Blend', 150),
  (3, 'Arabica', 'Decaf Colombian', 0);
