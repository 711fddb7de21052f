using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MembershipVoucherForOneProduct : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ProductId",
                table: "MembershipVouchers",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_MembershipVouchers_ProductId",
                table: "MembershipVouchers",
                column: "ProductId");

            migrationBuilder.AddForeignKey(
                name: "FK_MembershipVouchers_MembershipProducts_ProductId",
                table: "MembershipVouchers",
                column: "ProductId",
                principalTable: "MembershipProducts",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MembershipVouchers_MembershipProducts_ProductId",
                table: "MembershipVouchers");

            migrationBuilder.DropIndex(
                name: "IX_MembershipVouchers_ProductId",
                table: "MembershipVouchers");

            migrationBuilder.DropColumn(
                name: "ProductId",
                table: "MembershipVouchers");
        }
    }
}
