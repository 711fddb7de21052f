using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembershipPartialRefunds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MembershipInvoices_CorrectsInvoiceId",
                table: "MembershipInvoices");

            migrationBuilder.AddColumn<int>(
                name: "CreditNotes",
                table: "MembershipOrders",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<decimal>(
                name: "CreditedAmount",
                table: "MembershipOrderLines",
                type: "TEXT",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "RefundRule",
                table: "MembershipEvents",
                type: "TEXT",
                maxLength: 1000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoices_CorrectsInvoiceId",
                table: "MembershipInvoices",
                column: "CorrectsInvoiceId");

            // Credit notes issued before this change each reversed a whole invoice: their orders are credited in full.
            migrationBuilder.Sql("""
                UPDATE "MembershipOrderLines" SET "CreditedAmount" = "Total"
                WHERE "OrderId" IN (SELECT "OrderId" FROM "MembershipInvoices" WHERE "Kind" = 1);
                """);
            migrationBuilder.Sql("""
                UPDATE "MembershipOrders" SET "CreditNotes" = 1
                WHERE "Id" IN (SELECT "OrderId" FROM "MembershipInvoices" WHERE "Kind" = 1);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_MembershipInvoices_CorrectsInvoiceId",
                table: "MembershipInvoices");

            migrationBuilder.DropColumn(
                name: "CreditNotes",
                table: "MembershipOrders");

            migrationBuilder.DropColumn(
                name: "CreditedAmount",
                table: "MembershipOrderLines");

            migrationBuilder.DropColumn(
                name: "RefundRule",
                table: "MembershipEvents");

            migrationBuilder.CreateIndex(
                name: "IX_MembershipInvoices_CorrectsInvoiceId",
                table: "MembershipInvoices",
                column: "CorrectsInvoiceId",
                unique: true);
        }
    }
}
