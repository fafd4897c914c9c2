-- invoices and invoice_lines have no foreign keys to dealers, products and invoices (see 002):
-- the importer checks dealer codes and SKUs against the database and writes lines only with
-- their invoice. What the foreign keys also did on delete is kept here with statement-level
-- triggers, which cost nothing on the import's hot path: deleting an invoice deletes its lines
-- (as ON DELETE CASCADE did), and a product or dealer that documents name cannot be deleted.

CREATE FUNCTION delete_lines_of_deleted_invoices() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM invoice_lines l USING deleted_invoices d
  WHERE l.dealer_id = d.dealer_id AND l.document = d.document;
  RETURN NULL;
END;
$$;

CREATE TRIGGER invoices_delete_lines
  AFTER DELETE ON invoices REFERENCING OLD TABLE AS deleted_invoices
  FOR EACH STATEMENT EXECUTE FUNCTION delete_lines_of_deleted_invoices();

CREATE FUNCTION refuse_deleting_invoiced_products() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  used text;
BEGIN
  SELECT d.sku INTO used FROM deleted_products d
  WHERE EXISTS (SELECT 1 FROM invoice_lines l WHERE l.sku = d.sku)
    OR EXISTS (SELECT 1 FROM sellout_lines s WHERE s.sku = d.sku) LIMIT 1;
  IF used IS NOT NULL THEN
    RAISE EXCEPTION 'E-DB-REFERENCED: product % is named by invoice or sell-out lines; it cannot be deleted', used
      USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER products_refuse_invoiced_delete
  AFTER DELETE ON products REFERENCING OLD TABLE AS deleted_products
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_deleting_invoiced_products();

CREATE FUNCTION refuse_deleting_invoiced_dealers() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  used text;
BEGIN
  SELECT d.dealer_id INTO used FROM deleted_dealers d
  WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.dealer_id = d.dealer_id) LIMIT 1;
  IF used IS NOT NULL THEN
    RAISE EXCEPTION 'E-DB-REFERENCED: dealer % has invoices; it cannot be deleted', used
      USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER dealers_refuse_invoiced_delete
  AFTER DELETE ON dealers REFERENCING OLD TABLE AS deleted_dealers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_deleting_invoiced_dealers();
