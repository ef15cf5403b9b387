-- 0003: what a resting paper order holds back (KRW for a buy including its fee, coin for a sell), so a cancel
-- releases exactly what was locked even if Paper:FeeRate changed in between.
ALTER TABLE paper_orders ADD COLUMN reserved numeric(28, 8) NOT NULL DEFAULT 0;
ALTER TABLE paper_orders ADD CONSTRAINT ck_paper_orders_reserved CHECK (reserved >= 0);
ALTER TABLE paper_orders ADD CONSTRAINT ck_paper_orders_ord_type CHECK (ord_type IN ('price', 'market', 'limit'));
